-- GeoJSON geometry text of the given data zones (exports of user-made areas).
select area_code, geojson from marts.area_boundaries
where area_type = 'datazone' and area_code in (select unnest($codes::varchar[]))
