"""Streamlit building blocks for the pages, split by room (layout only; no SQL, no business logic):

- `filters`: sidebar filters, canonical `Filters`, URL sync, permalinks
- `widgets`: tables with source links, source footnotes, badges, lists, numbers
- `figures`: NUTS geometry cache, map views, figures shared between viewers
- `live_chart`: Plotly charts drawn by the smallest plotly.js that holds their traces, with Streamlit's chart theme
  (`chart_theme`), kept mounted while their figure changes (the /regions map, the other pages' charts)
- `region_panel`: /regions choropleth, clicked region, region panel
- `uploads`: upload boxes and the Eurostat refresh
- `headline`: the dated 2022 claim, what the pipeline supports, the bridge, T&E measured
- `downloads`: CSV / figure / table / brief downloads
- `presenter`: presenter-mode chrome
- `router`: running every page through app.py's navigation
- `tables_later`: on a chart page, a session's first tables wait until its first chart is painted
- `server`: the Streamlit server process: TCP_NODELAY on its sockets, the base URL hint, app/static/ cached for good,
  the warm-up of every chart page

Pages use `from workforce import ui` and call `ui.<name>`; the names below are the public surface.
Session data (uploads) lives in `workforce.session`; figures and tables come from `workforce.views`."""

from __future__ import annotations

from workforce.session import run, session_frames, uploads  # noqa: F401,E402  (pages' query runner)
from workforce.ui.downloads import (  # noqa: F401
    brief_download,
    csv_download,
    download_menu,
)
from workforce.ui.figures import (  # noqa: F401
    _shared_figure,
    country_outlines,
    geometry,
    geometry_for,
    shared_figure,
    view_for,
)
from workforce.ui.filters import (  # noqa: F401
    ALL_EUROPE,
    LANG_NAMES,
    SHARED_KEYS,
    countries,
    current,
    current_page_path,
    permalink,
    permalink_open,
    permalink_url,
    set_region,
    sidebar,
    sync_url,
)
from workforce.ui.headline import (  # noqa: F401
    bridge,
    claim_panel,
    te_measured,
)
from workforce.ui.live_chart import (  # noqa: F401
    STATIC_DIR,
    chart,
    live_chart,
)
from workforce.ui.live_chart import preload as preload_live_chart  # noqa: F401
from workforce.ui.presenter import (  # noqa: F401
    PRESENT_CSS,
    PRESENT_KEYS_JS,
    context_url,
    present_chrome,
    public_url,
)
from workforce.ui.region_panel import (  # noqa: F401
    clicked_region,
    region_forecast,
    region_map,
    region_metrics,
    region_panel,
    training_need,
)
from workforce.ui.router import (  # noqa: F401
    FAVICON,
    ensure_router,
)
from workforce.ui.server import base_url_hint, cache_app_static, tcp_nodelay, warm_up  # noqa: F401
from workforce.ui.tables_later import hold as hold_table  # noqa: F401
from workforce.ui.uploads import (  # noqa: F401
    EUROSTAT_RESULTS,
    UPLOAD_RESULTS,
    eurostat_section,
    upload_section,
)
from workforce.ui.widgets import (  # noqa: F401
    MISSING,
    app_css,
    assumption_badge,
    bullet_list,
    fmt_number,
    number_columns,
    source_columns,
    sources_footnote,
    sources_markdown,
    table,
    wide_columns,
)
