"""Presenter mode: time to build every slide of every built-in storyline (live data, no browser).

`run()` returns one record per slide plus a per-story summary, `{"figure": "present.slide_ms", ...}`;
`python -m bench.present` prints them as JSON lines (bench.common.run_optional prints them for `bench pages`).
"""

from __future__ import annotations

import json
import math
import time


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)


def run(langs: tuple[str, ...] = ("en", "hu"), repeat: int = 3) -> list[dict]:
    from workforce import slides, stories

    records = []
    for story_id in stories.list_stories():
        story = stories.builtin(story_id)
        for lang in langs:
            for number, spec in enumerate(story.slides, 1):
                times = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    slides.render(spec, lang)
                    times.append(_ms(t0))
                records.append({"figure": "present.slide_ms", "value": min(times), "unit": "ms", "rows": None,
                                "story": story_id, "slide": number, "view": spec.view, "lang": lang,
                                "first_ms": times[0]})
        t0 = time.perf_counter()
        slides.to_pptx(story, "en")
        records.append({"figure": "present.export_pptx_ms", "value": _ms(t0), "unit": "ms", "rows": None,
                        "story": story_id})
        t0 = time.perf_counter()
        slides.to_pdf(story, "en")
        records.append({"figure": "present.export_pdf_ms", "value": _ms(t0), "unit": "ms", "rows": None,
                        "story": story_id})
    slide_ms = sorted(r["value"] for r in records if r["figure"] == "present.slide_ms")
    if slide_ms:
        p95 = slide_ms[max(0, math.ceil(0.95 * len(slide_ms)) - 1)]
        records.append({"figure": "present.slide_ms_p95", "value": p95, "unit": "ms", "rows": len(slide_ms)})
    return records


def main() -> int:
    for rec in run():
        print(json.dumps(rec, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
