"""`python -m workforce present --story hu --format pptx|pdf --out FILE [--lang hu]` — export a storyline."""

from __future__ import annotations

from pathlib import Path

from workforce.cli import CliError

LANGS = ("en", "fi", "hu", "de")


def add_arguments(parser) -> None:
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
    from workforce import export

    base = slides.base_url(args.base_url) if args.base_url else slides.DEFAULT_BASE_URL
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
