"""A guard against zip bombs for .xlsx and .docx files, checked before any XML is parsed.

An Office file is a zip archive; a few kilobytes can declare gigabytes of XML. `check_zip` reads the
central directory and refuses too many entries, a too large declared total, or an entry compressed beyond
a plausible ratio; it then inflates every entry in chunks, counting the real bytes, so a lying header
cannot get past. The limits are settings (GONGFU_ZIP_MAX_BYTES, _ENTRIES, _RATIO).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from gongfu.errors import InputError

CHUNK = 1 << 16


def check_zip(source: Path | bytes, name: str | None = None) -> None:
    """Nothing for a sane archive (or for bytes that are no zip at all, which the format's reader refuses);
    InputError naming the file when it would unpack too big."""
    from gongfu.settings import settings

    s = settings()
    name = name or (source.name if isinstance(source, Path) else "文件")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        zf = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: nothing can unpack, and the format's own reader names the damage
    with zf:
        infos = zf.infolist()
        if len(infos) > s.zip_max_entries:
            raise InputError(f"压缩包内文件过多（{len(infos)}个，上限{s.zip_max_entries}个）", file=name)
        declared = sum(i.file_size for i in infos)
        if declared > s.zip_max_bytes:
            raise InputError(_too_big(declared, s.zip_max_bytes), file=name)
        for i in infos:
            if i.compress_size and i.file_size / i.compress_size > s.zip_max_ratio:
                raise InputError(
                    f"压缩比异常（{i.filename} 压缩比 {i.file_size / i.compress_size:.0f}:1），疑似压缩炸弹",
                    file=name,
                )
        actual = 0
        for i in infos:
            try:
                with zf.open(i) as f:
                    while chunk := f.read(CHUNK):
                        actual += len(chunk)
                        if actual > s.zip_max_bytes:
                            raise InputError(_too_big(actual, s.zip_max_bytes), file=name)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                return  # a damaged entry: the format's reader names the damage


def _too_big(n: int, limit: int) -> str:
    return f"解压后过大（至少 {n / 2**20:.0f} MiB，上限 {limit / 2**20:.0f} MiB），疑似压缩炸弹"
