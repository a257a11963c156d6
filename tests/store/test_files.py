"""Atomic writes replace only regular files; unwritable and full disks are said plainly."""

from __future__ import annotations

import errno
import os
import socket
import stat
from pathlib import Path

import pytest

from tuipad.store import files
from tuipad.store.files import (
    MissingFolderError,
    NotRegularFileError,
    atomic_write,
    check_writable,
    describe_os_error,
    write_named_file,
)


def test_a_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.json"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["b.json"]


def test_a_named_file_needs_its_folder_which_is_never_made(tmp_path: Path) -> None:
    with pytest.raises(MissingFolderError) as refused:
        write_named_file(tmp_path / "typo" / "x.jsonl", b"data")
    assert describe_os_error(refused.value).startswith(f"{tmp_path / 'typo'}: no such folder")
    assert list(tmp_path.iterdir()) == []
    write_named_file(tmp_path / "x.jsonl", b"data")
    assert (tmp_path / "x.jsonl").read_bytes() == b"data"


def _symlink(tmp_path: Path) -> Path:
    (tmp_path / "real").write_bytes(b"kept")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    return tmp_path / "link"


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "folder").mkdir()
    return tmp_path / "folder"


def _socket(tmp_path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    server.close()
    return tmp_path / "sock"


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_symlink, "a symbolic link"),
        (_fifo, "a named pipe"),
        (_directory, "a directory"),
        (_socket, "a socket"),
    ],
)
def test_anything_but_a_regular_file_is_refused_and_left_alone(tmp_path, make, kind):
    target = make(tmp_path)
    before = os.lstat(target)
    with pytest.raises(NotRegularFileError) as refused:
        atomic_write(target, b"new")
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    assert describe_os_error(refused.value) == f"{target} is {kind}, not a regular file;" + (
        " tuipad replaces only files"
    )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if kind == "a symbolic link":
        assert (tmp_path / "real").read_bytes() == b"kept"


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    """As root, a rename over /dev/full would replace the device: make one and try."""
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device needs root")
    with pytest.raises(NotRegularFileError, match="character device"):
        atomic_write(device, b"new")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_an_unwritable_directory_is_found_before_any_work(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / ".probe"))

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as refused:
        check_writable(tmp_path / "models")
    assert refused.value.filename == str(tmp_path / "models")
    assert describe_os_error(refused.value) == (
        f"cannot write {tmp_path / 'models'}: the file system is read-only"
    )


def test_a_full_disk_is_said_as_a_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MIN_FREE_BYTES", 0)
    check_writable(tmp_path)
    with pytest.raises(OSError) as full:
        check_writable(tmp_path, free_bytes=2**62)
    assert full.value.errno == errno.ENOSPC
    assert describe_os_error(full.value) == f"the disk is full: cannot write {tmp_path}"
    assert list(tmp_path.iterdir()) == []


def test_a_write_error_names_the_file_asked_for(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError) as failed:
        atomic_write(tmp_path / "x.json", b"data")
    assert describe_os_error(failed.value) == f"the disk is full: cannot write {tmp_path}/x.json"
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_takes_no_new_files_is_not_said_as_a_missing_file(tmp_path, monkeypatch):
    """/proc and /sys answer "no such file" to any new file; the folder and the file are there."""
    target = tmp_path / "version"
    target.write_bytes(b"kept")

    def no_new_files(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))

    monkeypatch.setattr(files.os, "open", no_new_files)
    with pytest.raises(PermissionError) as refused:
        write_named_file(target, b"new")
    assert describe_os_error(refused.value) == f"permission denied: {target}"
    assert target.read_bytes() == b"kept"


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
def test_saving_over_proc_version_gives_an_honest_reason() -> None:
    with pytest.raises(OSError) as refused:
        write_named_file(Path("/proc/version"), b"new")
    said = describe_os_error(refused.value)
    assert "no such file" not in said.lower()
    assert said in (
        "/proc/version is read-only; tuipad does not replace it (chmod u+w allows it)",
        "permission denied: /proc/version",
        "cannot write /proc/version: the file system is read-only",
    )


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "private.jsonl"
    path.write_bytes(b"old")
    path.chmod(0o600)  # a user's handwriting, kept private
    write_named_file(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_named_file(tmp_path / "new.jsonl", b"new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o600


def test_a_read_only_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kept.onnx"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(OSError) as refused:
        write_named_file(path, b"new")
    assert path.read_bytes() == b"old"
    assert (
        describe_os_error(refused.value)
        == f"{path} is read-only; tuipad does not replace it (chmod u+w allows it)"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["kept.onnx"]


def test_tuipads_own_file_is_replaced_even_if_read_only(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"  # as a data directory copied from read-only media
    path.write_bytes(b"old")
    path.chmod(0o444)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o444
