"""`python -m workforce present --story hu --format pptx|pdf --out FILE [--lang hu]` — export a storyline."""

from __future__ import annotations

from pathlib import Path

from workforce.cli import CliError


def add_arguments(parser) -> None:
    from workforce.params import LANGS

    parser.add_argument("--story", required=True, help="built-in storyline id (stories/<id>.yaml) or a .yaml path")
    parser.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    parser.add_argument("--out", required=True, help="output file")
    parser.add_argument("--lang", choices=LANGS, default="en")
    parser.add_argument("--images", choices=["auto", "yes", "no"], default="auto",
                        help="chart images via kaleido + chromium (auto: when chromium is installed); "
                        "otherwise slides show tables")
    parser.add_argument("--base-url", default=None, help="base URL for the slide links and QR codes "
                        "(default http://localhost:8501)")


def run(args) -> int:
    from workforce import slides, stories

    try:
        if args.story.endswith((".yaml", ".yml")):
            story = stories.load_story(Path(args.story))
        else:
            story = stories.builtin(args.story)
    except stories.StoryError as exc:
        raise CliError(str(exc)) from None
    import os
    import sys

    from workforce import export

    raw = args.base_url or os.environ.get("WORKFORCE_PUBLIC_URL")
    base = slides.public_base_url(raw)
    if raw and base is None:
        raise CliError(f"not a public http(s) address: {raw[:80]!r}")
    if base is None:
        print("note: no QR codes or live links on the slides: set WORKFORCE_PUBLIC_URL (or --base-url) to the "
              "address the audience can open", file=sys.stderr)
    images = args.images == "yes" or (args.images == "auto" and bool(export.ensure_browser()))
    if args.images == "yes" and not export.ensure_browser():
        raise CliError("--images yes needs chromium (apt-get install chromium or set BROWSER_PATH)")
    build = slides.to_pptx if args.format == "pptx" else slides.to_pdf
    data = build(story, args.lang, base, images=images)
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise CliError(f"output folder does not exist: {out.parent}")
    out.write_bytes(data)
    print(f"{out}: {len(story.slides)} slides, {len(data):,} bytes ({args.format}, "
          f"{'chart images' if images else 'tables'})")
    return 0
