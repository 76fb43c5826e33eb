-- One area's trend row for one indicator (verdict, change, RAG).
select * from marts.trend where indicator_id = $indicator and area_type = $area_type and area_code = $area_code
