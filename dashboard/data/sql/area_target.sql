-- Area Profiles: the target set for one indicator and area (marts.targets: value, year, who set it,
-- baseline, where the straight trajectory says the area should be now, the projection and status).
-- Grain: at most one row (marts.targets is unique per indicator x area, checked at build).
select indicator_id, area_type, area_code, target_value, target_year, set_by, baseline_period_label, baseline_value,
       latest_period_label, latest_value, trajectory_value_latest, projected_value, projection_lower,
       projection_upper, probability_of_meeting, status
from marts.targets
where indicator_id = $indicator_id and area_type = $area_type and area_code = $area_code
