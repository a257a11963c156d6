"""Atomic file writes, checks that a directory can take them, and file errors in one line.

A write goes to a temporary file beside the target, is synced, then renamed
over it.  Only a regular file (or nothing) is ever replaced: a rename would put
a regular file in place of a symbolic link, a device such as ``/dev/full``, a
pipe or a directory, which is never what the user meant.  tuipad creates the
folders of its own data directory, never those of a file the user named: there a
missing folder is far more often a typo than a wish.

Kept free of numpy and scikit-learn so the canvas can save a drawing without
pulling them in before the first frame.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

MIN_FREE_BYTES = 16 * 2**20
"""Free space a directory must have before long work that ends in a write (a model's
files are under 2 MB; the margin covers the rendering cache's smaller entries)."""

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)
"""How a file that is not a regular file is named in messages."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for messages: ``a named pipe``."""
    return next((name for test, name in _KINDS if test(mode)), "a special file")


_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
"""Errors that mean no more bytes fit: said as a full disk."""


class NotRegularFileError(OSError):
    """The target exists and is not a regular file, so it is not replaced."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(
            errno.EEXIST, f"is {kind}, not a regular file; tuipad replaces only files", str(path)
        )


class ReadOnlyFileError(OSError):
    """The target is a regular file its owner may not write: someone made it read-only."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            errno.EACCES,
            "is read-only; tuipad does not replace it (chmod u+w allows it)",
            str(path),
        )


class MissingFolderError(OSError):
    """The folder of a file the user named does not exist, so it is not created."""

    REASON = "no such folder (create it first, or pick another path)"
    """How the error reads after the folder's name."""

    def __init__(self, folder: Path) -> None:
        super().__init__(errno.ENOENT, self.REASON, str(folder))


class NotAFolderError(OSError):
    """The folder of a file the user named, or a folder above it, is something else (a file)."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ENOTDIR, "is not a folder", str(path))


def check_folder(path: Path) -> None:
    """Refuse a file the user named whose folder does not exist.

    Raises:
        NotAFolderError: The folder, or one above it, exists but is not a folder:
            no folder is missing, so creating one would not help.
        MissingFolderError: ``path.parent`` does not exist.
    """
    folder = path.parent
    if folder.is_dir():
        return
    if (blocking := not_a_folder(folder)) is not None:
        raise NotAFolderError(blocking)
    raise MissingFolderError(folder)


def not_a_folder(folder: Path) -> Path | None:
    """``folder``, or the nearest folder above it, that exists as something else (a file),
    so no folder can be made there; ``None`` when the nearest that exists is a folder."""
    for above in (folder, *folder.parents):
        if above.is_dir():
            return None
        if os.path.lexists(above):
            return above
    return None


def write_named_file(path: Path, data: bytes) -> None:
    """:func:`atomic_write` to a file the user named: its folder must already exist.

    Raises:
        MissingFolderError: The folder does not exist.
        NotAFolderError: The folder is a file.
        NotRegularFileError: ``path`` exists and is not a regular file.
        ReadOnlyFileError: ``path`` is a file its owner made read-only.
        OSError: The folder cannot be written (read-only, full, no permission).
    """
    check_folder(path)
    atomic_write(path, data, named=True)


def check_replaceable(path: Path, *, named: bool = False) -> int | None:
    """Refuse a target that exists and is not a regular file (a link is never followed),
    or, for a file the user named, one its owner made read-only (root could replace it).

    tuipad's own files are replaced whatever their mode: a data directory copied from
    read-only media must still keep the user's settings.

    Returns:
        The permission bits of the file there, to give its replacement; ``None`` if none is.

    Raises:
        NotRegularFileError: It is a symbolic link, a directory, a device, a pipe...
        ReadOnlyFileError: It is a regular file without its owner's write permission.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(path, kind_of(mode))
    if named and not mode & stat.S_IWUSR:
        raise ReadOnlyFileError(path)
    return stat.S_IMODE(mode)


def atomic_write(path: Path, data: bytes, *, named: bool = False) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and a rename.

    A crash leaves either the old file or the new one, never a mix; missing
    parent folders are created, as the data directory's files need (a file the
    user named goes through :func:`write_named_file`).

    Args:
        path: The file to write.
        data: Its new contents.
        named: The user named it: a read-only file there is refused.

    Raises:
        NotRegularFileError: ``path`` exists and is not a regular file.
        ReadOnlyFileError: ``named``, and ``path`` is a read-only file.
        OSError: The directory cannot be written (read-only, full, no permission).
    """
    check_replaceable(path, named=named)
    try:
        _write_and_rename(path, data, named)
    except (NotRegularFileError, ReadOnlyFileError):
        raise
    except OSError as error:  # name the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _write_and_rename(path: Path, data: bytes, named: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = _new_temporary(path)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        mode = check_replaceable(path, named=named)  # narrows the window for another's file
        if mode is not None:  # the file there keeps its permissions: a private export stays so
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` to write, made as ``open`` makes one, so the umask sets its
    permissions (``mkstemp`` makes its files private, whatever the umask)."""
    for _ in range(100):
        temp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if not path.parent.is_dir():
                raise
            # The folder is there and still says "no such file": /proc and /sys answer so to
            # any new file, even root's, and "no such file" about a file that exists misleads.
            raise PermissionError(errno.EACCES, "its folder takes no new files") from None
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def check_writable(directory: Path, free_bytes: int | None = None) -> None:
    """Make sure files can be written in ``directory`` before long work that saves there.

    Creates the directory if needed, writes and removes a small file, and asks
    the file system for ``free_bytes`` (default :data:`MIN_FREE_BYTES`) of room,
    so a read-only or full disk is reported at once rather than after a minute
    of training.

    Raises:
        OSError: It cannot be created or written (``EROFS``, ``EACCES``...), or
            the disk is (nearly) full (``ENOSPC``); ``filename`` is ``directory``.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".tuipad-probe-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(b"tuipad")
                file.flush()
                os.fsync(file.fileno())
        finally:
            Path(probe).unlink(missing_ok=True)
        free = shutil.disk_usage(directory).free
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(directory)) from None
    if free < (MIN_FREE_BYTES if free_bytes is None else free_bytes):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(directory))


def describe_os_error(error: OSError) -> str:
    """One line saying what went wrong with a file, a full disk said as a full disk."""
    where = "" if error.filename is None else os.fsdecode(error.filename)
    if error.errno in _DISK_FULL:
        return f"the disk is full: cannot write {where}" if where else "the disk is full"
    if isinstance(error, NotRegularFileError | ReadOnlyFileError | NotAFolderError) or not where:
        return f"{where} {error.strerror}".strip() if error.strerror else str(error)
    if error.errno == errno.EROFS:
        return f"cannot write {where}: the file system is read-only"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: {where}"
    return f"{where}: {error.strerror or error}"
