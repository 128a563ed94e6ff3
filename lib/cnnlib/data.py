"""Datasets of the course: MNIST, Fashion-MNIST, CIFAR-10 and scikit-learn's bundled 8x8 digits.

Where the files live
--------------------
``data_dir()`` is ``$CNN_COURSE_DATA`` when set, else a per-user cache
(``$XDG_CACHE_HOME/cnn-course`` or ``~/.cache/cnn-course``). Inside it every dataset
has a folder holding the official file names, e.g. ``mnist/train-images-idx3-ubyte.gz``.

What happens to a file
----------------------
A file that is missing is downloaded from the official mirrors (in order) with a
progress bar, to a ``.part`` file that is checked against its published MD5 before
it takes its real name. A file that is present is checked the same way before it is
parsed, so a truncated or corrupted file is reported, never parsed. Offline, the
error names the folder searched, the files expected and how to get them.

The parsers (``read_idx``, ``read_cifar_batch``) are written here from the file
formats' specifications; the course does not depend on torchvision.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import struct
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cnnlib.validate import require_int, shape_of

if TYPE_CHECKING:
    from torch.utils.data import DataLoader

DATA_ENV = "CNN_COURSE_DATA"


class DatasetNotAvailable(RuntimeError):
    """A dataset file is missing and could not be downloaded."""


class ChecksumError(RuntimeError):
    """A dataset file does not match its published checksum (truncated, corrupted or wrong file)."""


@dataclass(frozen=True)
class RemoteFile:
    """One official file: its name, size in bytes and published MD5."""

    name: str
    size: int
    md5: str


@dataclass(frozen=True)
class DatasetSpec:
    """Where a dataset's official files come from and how to recognise them."""

    folder: str
    title: str
    mirrors: tuple[str, ...]
    files: dict[str, RemoteFile]
    classes: tuple[str, ...]
    licence: str = ""


DIGIT_CLASSES = tuple(str(d) for d in range(10))

MNIST = DatasetSpec(
    folder="mnist",
    title="MNIST",
    mirrors=("http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"),
    files={
        "train_images": RemoteFile("train-images-idx3-ubyte.gz", 9912422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        "train_labels": RemoteFile("train-labels-idx1-ubyte.gz", 28881, "d53e105ee54ea40749a09fcbcd1e9432"),
        "test_images": RemoteFile("t10k-images-idx3-ubyte.gz", 1648877, "9fb629c4189551a2d022fa330f9573f3"),
        "test_labels": RemoteFile("t10k-labels-idx1-ubyte.gz", 4542, "ec29112dd5afa0611ce80d1b7f02629c"),
    },
    classes=DIGIT_CLASSES,
    licence="Y. LeCun, C. Cortes and C. Burges, CC BY-SA 3.0",
)

FASHION_MNIST = DatasetSpec(
    folder="fashion_mnist",
    title="Fashion-MNIST",
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    ),
    files={
        "train_images": RemoteFile("train-images-idx3-ubyte.gz", 26421880, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        "train_labels": RemoteFile("train-labels-idx1-ubyte.gz", 29515, "25c81989df183df01b3e8a0aad5dffbe"),
        "test_images": RemoteFile("t10k-images-idx3-ubyte.gz", 4422102, "bef4ecab320f06d8554ea6380940ec79"),
        "test_labels": RemoteFile("t10k-labels-idx1-ubyte.gz", 5148, "bb300cfdad3c16e7a12a480ee83cd310"),
    },
    classes=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    licence="Zalando Research, MIT",
)

CIFAR10 = DatasetSpec(
    folder="cifar10",
    title="CIFAR-10",
    mirrors=("https://www.cs.toronto.edu/~kriz/",),
    files={"archive": RemoteFile("cifar-10-python.tar.gz", 170498071, "c58f30108f718f92721af3b95e74349a")},
    classes=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
    licence="A. Krizhevsky, V. Nair and G. Hinton",
)

#: MD5 of each member of the CIFAR-10 archive, checked when a batch is read.
CIFAR10_MEMBERS = {
    "data_batch_1": "c99cafc152244af753f735de768cd75f",
    "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
    "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
    "data_batch_4": "634d18415352ddfa80567beed471001a",
    "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
    "test_batch": "40351d587109b95175f43aff81a1287e",
    "batches.meta": "5ff9c542aee3614f3951f8cda6e48888",
}


@dataclass
class ImageSet:
    """Images with their labels and the name of the dataset they came from.

    ``images``: uint8, shape (N, H, W) for grayscale sets or (N, C, H, W) for colour.
    ``labels``: int64, shape (N,), values in ``range(len(classes))``.
    """

    name: str
    images: np.ndarray
    labels: np.ndarray
    classes: tuple[str, ...] = field(default=DIGIT_CLASSES)

    def __post_init__(self) -> None:
        if self.images.shape[0] != self.labels.shape[0]:
            raise ValueError(
                f"images ({shape_of(self.images)}) and labels ({shape_of(self.labels)}) "
                "must have the same number of examples"
            )

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def __repr__(self) -> str:
        return f"ImageSet({self.name!r}, images {tuple(self.images.shape)} {self.images.dtype}, {len(self)} labels)"

    def subset(self, n: int | None, seed: int = 0) -> ImageSet:
        """A random subset of ``n`` examples (all of them when ``n`` is None or too large)."""
        if n is None or n >= len(self):
            return self
        require_int("n", n, minimum=1)
        index = np.random.default_rng(seed).permutation(len(self))[:n]
        index.sort()
        return ImageSet(self.name, self.images[index], self.labels[index], self.classes)


# --------------------------------------------------------------------------- files


def data_dir() -> Path:
    """The course's data folder: ``$CNN_COURSE_DATA``, else a per-user cache folder."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "cnn-course"


def md5sum(path: Path, chunk: int = 1 << 20) -> str:
    """Hex MD5 of a file, read in chunks so a large archive needs little memory."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, remote: RemoteFile) -> None:
    """Raise ``ChecksumError`` unless ``path`` has the published size and MD5 of ``remote``."""
    size = path.stat().st_size
    if size != remote.size:
        raise ChecksumError(
            f"{path} has {size} bytes but the official {remote.name} has {remote.size}: "
            "the file is truncated or is not the official one. Delete it and run again to download it afresh."
        )
    got = md5sum(path)
    if got != remote.md5:
        raise ChecksumError(
            f"{path} has MD5 {got} but the official {remote.name} has {remote.md5}: "
            "the file is corrupted. Delete it and run again to download it afresh."
        )


def _missing_message(spec: DatasetSpec, folder: Path, missing: list[RemoteFile], errors: list[str]) -> str:
    lines = [
        f"{spec.title} is not in the data folder and could not be downloaded.",
        f"  folder searched: {folder}",
        "  files expected:",
    ]
    lines += [f"    {f.name} ({f.size} bytes, md5 {f.md5})" for f in missing]
    lines.append("  how to get them:")
    lines += [f"    download {spec.mirrors[0]}{f.name} into that folder" for f in missing]
    lines.append(f"    or point {DATA_ENV} at a folder that holds {spec.folder}/ with those files")
    if errors:
        lines.append("  download attempts:")
        lines += [f"    {e}" for e in errors]
    return "\n".join(lines)


def _download(url: str, target: Path, expected_size: int, timeout: float) -> None:
    """Stream ``url`` into ``target`` with a progress bar."""
    from tqdm.auto import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": "cnn-course (cnnlib)"})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(target, "wb") as out:
        total = int(response.headers.get("Content-Length") or expected_size)
        with tqdm(total=total, unit="B", unit_scale=True, desc=target.name.removesuffix(".part")) as bar:
            while block := response.read(1 << 16):
                out.write(block)
                bar.update(len(block))


def fetch(spec: DatasetSpec, key: str, download: bool = True, timeout: float = 30.0) -> Path:
    """Return the verified path of one of ``spec``'s files, downloading it first if it is missing.

    A present file is checksummed before it is returned; a bad one raises ``ChecksumError``.
    A download goes to ``<name>.part``, is checksummed, and only then renamed.
    """
    remote = spec.files[key]
    folder = data_dir() / spec.folder
    path = folder / remote.name
    if path.exists():
        verify_file(path, remote)
        return path
    if not download:
        raise DatasetNotAvailable(_missing_message(spec, folder, [remote], ["downloads were switched off"]))
    errors: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetNotAvailable(_missing_message(spec, folder, [remote], [f"cannot create folder: {exc}"])) from exc
    part = path.with_name(path.name + ".part")
    for mirror in spec.mirrors:
        url = mirror + remote.name
        try:
            _download(url, part, remote.size, timeout)
            verify_file(part, remote)
        except (urllib.error.URLError, OSError, TimeoutError, ChecksumError) as exc:
            errors.append(f"{url}: {exc}")
            part.unlink(missing_ok=True)
            continue
        part.replace(path)
        return path
    raise DatasetNotAvailable(_missing_message(spec, folder, [remote], errors))


# --------------------------------------------------------------------------- parsers

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(source: Path | str | bytes) -> np.ndarray:
    """Parse an IDX file (the MNIST format), gzipped or not, into a NumPy array.

    Layout: two zero bytes, a type code, the number of dimensions ``d``, then ``d``
    big-endian uint32 sizes, then the data in C order. Raises ``ValueError`` on a bad
    magic number or when the data is shorter or longer than the header promises.
    """
    if isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    else:
        raw = bytes(source)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"not an IDX file: magic bytes {raw[:4].hex() or '(empty)'}")
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"IDX header promises {ndim} dimensions but the file has only {len(raw)} bytes")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(f"IDX header promises shape {shape} ({expected} bytes) but {len(raw) - header} bytes follow")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(array: np.ndarray) -> bytes:
    """Encode a uint8 array of any shape (d_1, ..., d_k) as IDX bytes (used by the tests to make small files)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    return bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def read_cifar_batch(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Parse one pickled CIFAR-10 batch into images (N, 3, 32, 32) uint8 and labels (N,) int64.

    Only call it on bytes whose MD5 was checked: unpickling runs code from the file.
    """
    batch = pickle.loads(raw, encoding="bytes")
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise ValueError("not a CIFAR-10 batch: expected a dict with b'data' and b'labels'")
    data = np.asarray(batch[b"data"], dtype=np.uint8)
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or data.shape[0] != labels.shape[0]:
        raise ValueError(f"CIFAR-10 batch has data {shape_of(data)} and labels {shape_of(labels)}")
    return data.reshape(-1, 3, 32, 32), labels


def _cifar_members(archive: Path, names: list[str]) -> Iterator[bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        for name in names:
            member = tar.extractfile(f"cifar-10-batches-py/{name}")
            if member is None:
                raise ValueError(f"{archive} has no member cifar-10-batches-py/{name}")
            raw = member.read()
            got = hashlib.md5(raw, usedforsecurity=False).hexdigest()
            if got != CIFAR10_MEMBERS[name]:
                raise ChecksumError(f"{name} in {archive} has MD5 {got}, expected {CIFAR10_MEMBERS[name]}")
            yield raw


# --------------------------------------------------------------------------- loaders


def _split(split: str) -> str:
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    return split


def _load_idx_set(spec: DatasetSpec, split: str, download: bool) -> ImageSet:
    split = _split(split)
    images = read_idx(fetch(spec, f"{split}_images", download))
    labels = read_idx(fetch(spec, f"{split}_labels", download)).astype(np.int64)
    return ImageSet(spec.title, images, labels, spec.classes)


def load_mnist(split: str = "train", download: bool = True) -> ImageSet:
    """MNIST digits: images (N, 28, 28) uint8, labels (N,) int64; 60,000 train, 10,000 test."""
    return _load_idx_set(MNIST, split, download)


def load_fashion_mnist(split: str = "train", download: bool = True) -> ImageSet:
    """Fashion-MNIST clothing: images (N, 28, 28) uint8, labels (N,) int64; 60,000 train, 10,000 test."""
    return _load_idx_set(FASHION_MNIST, split, download)


def load_cifar10(split: str = "train", download: bool = True) -> ImageSet:
    """CIFAR-10 colour images: (N, 3, 32, 32) uint8, labels (N,) int64; 50,000 train, 10,000 test."""
    names = [f"data_batch_{i}" for i in range(1, 6)] if _split(split) == "train" else ["test_batch"]
    archive = fetch(CIFAR10, "archive", download)
    parts = [read_cifar_batch(raw) for raw in _cifar_members(archive, names)]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    return ImageSet(CIFAR10.title, images, labels, CIFAR10.classes)


def load_bundled_digits(split: str = "train", test_fraction: float = 0.25, seed: int = 0) -> ImageSet:
    """scikit-learn's bundled 8x8 digits (1,797 images), which need no download at all.

    Pixels 0..16 are rescaled to uint8 0..255 so every loader returns the same kind of
    array. The train/test split is a fixed shuffle of the 1,797 images.
    """
    from sklearn.datasets import load_digits

    split = _split(split)
    bunch = load_digits()
    images = np.round(bunch.images * (255.0 / 16.0)).astype(np.uint8)
    labels = bunch.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(test_fraction * len(labels)))
    index = order[:n_test] if split == "test" else order[n_test:]
    return ImageSet("8x8 digits (scikit-learn, bundled)", images[index], labels[index], DIGIT_CLASSES)


def load_digits(split: str = "train", n: int | None = None, seed: int = 0, download: bool = True) -> ImageSet:
    """Real handwritten digits for the course: MNIST when it can be had, else the bundled 8x8 digits.

    Prints which dataset it used, so a notebook always says so visibly. ``n`` keeps a
    random subset of that many examples.
    """
    try:
        images = load_mnist(split, download=download)
    except (DatasetNotAvailable, ChecksumError) as exc:
        print(f"MNIST unavailable ({str(exc).splitlines()[0]}); using the bundled 8x8 digits instead.")
        images = load_bundled_digits(split, seed=seed)
    images = images.subset(n, seed=seed)
    print(f"dataset: {images.name}, {split} split, {len(images)} images of shape {images.images.shape[1:]}")
    return images


# --------------------------------------------------------------------------- to PyTorch


def to_tensors(images: np.ndarray, labels: np.ndarray, device: Any = "cpu") -> tuple[Any, Any]:
    """uint8 images -> float32 tensor (N, C, H, W) in [0, 1]; labels -> int64 tensor (N,).

    Grayscale input (N, H, W) gains a channel axis; (N, C, H, W) is kept as it is.
    """
    import torch

    if images.ndim not in (3, 4):
        raise ValueError(f"images must be (N, H, W) or (N, C, H, W), got {shape_of(images)}")
    if labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError(
            f"labels must be 1-D with one label per image; images {shape_of(images)}, labels {shape_of(labels)}"
        )
    x = torch.as_tensor(np.ascontiguousarray(images), dtype=torch.float32) / 255.0
    if x.ndim == 3:
        x = x.unsqueeze(1)
    y = torch.as_tensor(labels, dtype=torch.int64)
    return x.to(device), y.to(device)


def make_loader(
    images: np.ndarray, labels: np.ndarray, batch_size: int = 64, shuffle: bool = True, seed: int = 0
) -> DataLoader:
    """A ``torch.utils.data.DataLoader`` over ``to_tensors(images, labels)`` with a seeded shuffle.

    images: (N, H, W) or (N, C, H, W) uint8   labels: (N,)   batches: x (B, C, H, W) float32, y (B,) int64
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    require_int("batch_size", batch_size, minimum=1)
    x, y = to_tensors(images, labels)
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=generator)


def batches(x: Any, y: Any, batch_size: int, shuffle: bool = True, seed: int = 0) -> Iterator[tuple[Any, Any]]:
    """Yield ``(x[idx], y[idx])`` mini-batches from NumPy arrays or tensors already in place.

    With tensors on the GPU this keeps the whole epoch on the device (no worker processes).
    """
    require_int("batch_size", batch_size, minimum=1)
    n = len(x)
    if len(y) != n:
        raise ValueError(f"x and y must have the same length, got {shape_of(x)} and {shape_of(y)}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        index = order[start : start + batch_size]
        if not isinstance(x, np.ndarray):
            import torch

            index = torch.as_tensor(index, device=x.device)
        yield x[index], y[index]


def cifar_archive_bytes(batches_by_name: dict[str, bytes]) -> bytes:
    """Build a ``cifar-10-python.tar.gz``-shaped archive in memory (for tests of the reader)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, raw in batches_by_name.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()
