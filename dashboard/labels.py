"""Display labels shared by several pages (kept out of pages: nothing imports a page)."""

from __future__ import annotations

PRIORITY_LABELS = {
    "economy": "Economic recovery and growth", "employment": "Employment", "early_years": "Early years",
    "safer_communities": "Safer and stronger communities", "health": "Health inequalities and physical activity",
    "older_people": "Outcomes for older people",
}
