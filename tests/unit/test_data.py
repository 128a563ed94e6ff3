"""cnnlib.data: parsers, checksums, downloads (from a loopback server), offline errors, loaders."""

from __future__ import annotations

import hashlib
import http.server
import pickle
import threading
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from cnnlib import data
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.unit

SHARED_MNIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def _spec_for(files: dict[str, bytes], mirrors: tuple[str, ...] = ("http://127.0.0.1:9/",)) -> data.DatasetSpec:
    remote = {
        key: data.RemoteFile(name, len(raw), hashlib.md5(raw).hexdigest())
        for key, (name, raw) in ((k, v) for k, v in files.items())
    }
    return data.DatasetSpec("toy", "Toy", mirrors, remote, data.DIGIT_CLASSES)


@pytest.fixture
def server(tmp_path):
    """A loopback HTTP server over a folder; yields (folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ------------------------------------------------------------------ IDX


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.booleans())
def test_idx_round_trip(shape, compress):
    import gzip

    array = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    raw = data.write_idx(array)
    parsed = data.read_idx(gzip.compress(raw) if compress else raw)
    assert parsed.shape == array.shape and parsed.dtype == np.uint8
    np.testing.assert_array_equal(parsed, array)


def test_idx_rejects_bad_magic_and_truncation():
    raw = data.write_idx(np.zeros((2, 3, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(b"\x01\x02" + raw[2:])
    with pytest.raises(ValueError, match="promises shape"):
        data.read_idx(raw[:-1])
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(b"")


# ------------------------------------------------------------------ CIFAR


def _cifar_batch(n: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    batch = {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8), b"labels": list(rng.integers(0, 10, n))}
    return pickle.dumps(batch)


def test_cifar_batch_parsing():
    raw = _cifar_batch(4, 0)
    images, labels = data.read_cifar_batch(raw)
    assert images.shape == (4, 3, 32, 32) and labels.shape == (4,)
    original = pickle.loads(raw)[b"data"]
    np.testing.assert_array_equal(images[1, 2].ravel(), original[1, 2048:])  # channel 2 = blue plane


def _place_cifar_archive(data_home, monkeypatch, members: dict, member_md5: dict) -> None:
    """Put a CIFAR-10 archive of ``members`` in the data folder, with the loader expecting these checksums."""
    archive = data.cifar_archive_bytes(members)
    monkeypatch.setattr(data, "CIFAR10_MEMBERS", member_md5)
    spec = replace(
        data.CIFAR10,
        files={"archive": data.RemoteFile("cifar-10-python.tar.gz", len(archive), hashlib.md5(archive).hexdigest())},
    )
    monkeypatch.setattr(data, "CIFAR10", spec)
    (data_home / "cifar10").mkdir(parents=True)
    (data_home / "cifar10" / "cifar-10-python.tar.gz").write_bytes(archive)


def test_cifar_loader_on_a_small_archive(data_home, monkeypatch):
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
    members = {name: _cifar_batch(3, i) for i, name in enumerate(names)}
    _place_cifar_archive(data_home, monkeypatch, members, {k: hashlib.md5(v).hexdigest() for k, v in members.items()})
    train = data.load_cifar10("train", download=False)
    test = data.load_cifar10("test", download=False)
    assert train.images.shape == (15, 3, 32, 32) and test.images.shape == (3, 3, 32, 32)
    assert train.name == "CIFAR-10" and train.classes[0] == "airplane"


def test_cifar_member_checksum_is_enforced(data_home, monkeypatch):
    members = {"test_batch": _cifar_batch(2, 0)}
    _place_cifar_archive(data_home, monkeypatch, members, {"test_batch": "0" * 32})
    with pytest.raises(data.ChecksumError, match="test_batch"):
        data.load_cifar10("test", download=False)


# ------------------------------------------------------------------ files, downloads, errors


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    assert data.data_dir() == tmp_path.resolve()
    monkeypatch.delenv(data.DATA_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data.data_dir() == tmp_path / "cache" / "cnn-course"


def test_download_verifies_and_renames(data_home, server):
    root, url = server
    raw = data.write_idx(np.arange(12, dtype=np.uint8).reshape(3, 4))
    (root / "toy.idx").write_bytes(raw)
    spec = _spec_for({"images": ("toy.idx", raw)}, mirrors=("http://127.0.0.1:9/broken/", url))
    path = data.fetch(spec, "images")
    assert path == data_home / "toy" / "toy.idx" and path.read_bytes() == raw
    assert not list(path.parent.glob("*.part")), "the partial download must be renamed or removed"


def test_corrupted_download_is_never_kept(data_home, server):
    root, url = server
    raw = data.write_idx(np.ones((2, 2), dtype=np.uint8))
    (root / "toy.idx").write_bytes(raw[:-1] + b"\x07")  # same size, wrong content
    spec = _spec_for({"images": ("toy.idx", raw)}, mirrors=(url,))
    with pytest.raises(data.DatasetNotAvailable, match="MD5"):
        data.fetch(spec, "images")
    assert not (data_home / "toy").exists() or not list((data_home / "toy").iterdir())


def test_truncated_file_is_caught_before_parsing(data_home):
    raw = data.write_idx(np.ones((4, 4), dtype=np.uint8))
    spec = _spec_for({"images": ("toy.idx", raw)})
    (data_home / "toy").mkdir(parents=True)
    (data_home / "toy" / "toy.idx").write_bytes(raw[:10])
    with pytest.raises(data.ChecksumError, match="truncated"):
        data.fetch(spec, "images", download=False)


def test_offline_error_names_folder_files_and_remedy(data_home):
    spec = _spec_for({"images": ("toy.idx", b"abc")})
    with pytest.raises(data.DatasetNotAvailable) as info:
        data.fetch(spec, "images", timeout=2)
    message = str(info.value)
    assert str(data_home / "toy") in message and "toy.idx" in message
    assert data.DATA_ENV in message and "download" in message


def test_bundled_digits_need_no_download(data_home):
    train, test = data.load_bundled_digits("train"), data.load_bundled_digits("test")
    assert len(train) + len(test) == 1797
    assert train.images.dtype == np.uint8 and train.images.max() == 255 and train.images.shape[1:] == (8, 8)
    assert set(np.unique(train.labels)) == set(range(10))


def test_load_digits_falls_back_visibly(data_home, capsys, monkeypatch):
    monkeypatch.setattr(data, "MNIST", replace(data.MNIST, mirrors=("http://127.0.0.1:9/",)))
    images = data.load_digits("test", n=50, download=False)
    out = capsys.readouterr().out
    assert "bundled 8x8 digits" in out and images.name.startswith("8x8 digits") and len(images) == 50


@pytest.mark.skipif(
    not SHARED_MNIST.exists(), reason="the offline MNIST copy (../shared/data/mnist) is not beside the repo"
)
def test_real_mnist_files_parse(monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(SHARED_MNIST.parent))
    test = data.load_mnist("test", download=False)
    assert test.images.shape == (10000, 28, 28) and test.labels.shape == (10000,)
    assert np.bincount(test.labels).tolist()[:3] == [980, 1135, 1032]


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="split"):
        data.load_bundled_digits("validation")
    with pytest.raises(ValueError, match="images"):
        data.to_tensors(np.zeros((2, 2), dtype=np.uint8), np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError, match="batch_size"):
        list(data.batches(np.zeros(4), np.zeros(4), batch_size=0))
    with pytest.raises(ValueError, match="same number"):
        data.ImageSet("x", np.zeros((3, 2, 2), dtype=np.uint8), np.zeros(2, dtype=np.int64))


def test_tensors_and_batches():
    images = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    x, y = data.to_tensors(images, np.array([1, 0]))
    assert tuple(x.shape) == (2, 1, 3, 3) and float(x.max()) == pytest.approx(17 / 255)
    seen = np.concatenate([yb.numpy() for _, yb in data.batches(x, y, batch_size=1, seed=3)])
    assert sorted(seen.tolist()) == [0, 1]
    loader = data.make_loader(images, np.array([1, 0]), batch_size=2, shuffle=False)
    xb, yb = next(iter(loader))
    assert tuple(xb.shape) == (2, 1, 3, 3) and yb.tolist() == [1, 0]
