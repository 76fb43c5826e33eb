-- Area Profiles: every target (marts.targets: value, year, who set it, baseline, where the straight
-- trajectory says the area should be now, the projection and status). Grain: one row per indicator x
-- area (checked at build). Small, so read whole once per build and looked up in memory.
select indicator_id, area_type, area_code, target_value, target_year, set_by, baseline_period_label, baseline_value,
       latest_period_label, latest_value, trajectory_value_latest, projected_value, projection_lower,
       projection_upper, probability_of_meeting, status
from marts.targets
