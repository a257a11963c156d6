"""Whether the data directory can keep what the user saves, asked once as the app starts.

The command line says so at once, since each command opens what it needs.  The app
opens the sample store only when a first sample is saved, so without this check a
user would teach it for minutes before learning that nothing could be kept.
"""

from __future__ import annotations

from tuipad.store.files import check_writable, describe_os_error
from tuipad.store.paths import Paths, describe_home_error, home_not_a_folder

FREE_BYTES = 2**20
"""Room a sample or two needs, with a margin: a nearly full disk is said by the write itself
(training asks for more before it starts)."""


def data_problem(paths: Paths) -> str | None:
    """One line saying why samples and models cannot be kept, or ``None`` when they can.

    Makes the data directory if it is missing (it would be at the first save)
    and writes and removes a probe file in it; the sample store is opened to
    read (one of an older schema is upgraded, as the first save would).
    """
    from tuipad.store.samples import SampleStore, StoreError

    if (blocked := home_not_a_folder()) is not None:
        return blocked
    try:
        check_writable(paths.home, free_bytes=FREE_BYTES)
    except OSError as error:
        return describe_home_error(error) or describe_os_error(error)
    try:
        SampleStore.open(paths.samples, read_only=True).close()
    except StoreError as error:
        return str(error)
    return None
