"""How well ``factdesk trace`` cuts the development sets into stories.

Usage:
    python benchmarks/eval_trace.py

The development sets (``tests/core/data/devsets``: wire copy with the papers written from
it, rewrites at three levels, texts on the same topic that copy nothing, many short
agency stories sharing furniture) are traced together on a one-worker local cluster.
Prints purity, completeness, the share of stories that come out as one cluster, the
clusters that join two stories, and the alignment links that cross stories per 1,000
passages. Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    try:
        import factdesk  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "desktop"))
    from distributed import Client, LocalCluster

    from factdesk.core.trace_dask import run_trace
    from factdesk.testing.devsets import story_of_files
    from factdesk.testing.tracesets import cross_story_links, score_clusters, trace_clusters

    truth = {str(path): story for path, story in story_of_files().items()}
    with (
        tempfile.TemporaryDirectory() as out,
        LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        run_trace(sorted(truth), out, client=client)
        score = score_clusters(truth, trace_clusters(out))
        crossing, passages = cross_story_links(out, truth)
    print(f"development sets: {len(truth)} articles, {score.stories} stories")
    print(
        f"  clusters {score.clusters}; purity {score.purity:.4f}, completeness {score.completeness:.4f}"
    )
    print(
        f"  stories as one cluster each: {score.whole:.1%}; clusters joining two stories: {score.joined}"
    )
    print(
        f"  cross-story links: {crossing} over {passages} passages ({1000 * crossing / max(1, passages):.3f} per 1,000)"
    )


if __name__ == "__main__":
    main()
