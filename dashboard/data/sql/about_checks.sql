-- Data checks run at build time (About page).
select check_name, bad_rows, status from meta.check_results order by check_name
