-- Every release of a published figure, newest first.
select distinct release from marts.indicator_releases
order by release desc
