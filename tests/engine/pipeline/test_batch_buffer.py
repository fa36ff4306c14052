"""Batches stacked into one reused array: right contents, the same memory from batch to batch."""

import numpy as np

from engine.pipeline.batch_buffer import BatchBuffer


def _tensors(count: int, start: float) -> list[np.ndarray]:
    return [np.full((3, 4, 4), start + index, np.float32) for index in range(count)]


def test_batches_reuse_one_array_and_hold_their_own_values():
    buffer = BatchBuffer()
    first = buffer.stack(_tensors(4, 0.0))
    assert first.shape == (4, 3, 4, 4)
    assert [float(t[0, 0, 0]) for t in first] == [0.0, 1.0, 2.0, 3.0]
    second = buffer.stack(_tensors(3, 10.0))  # a short last batch: a view of the same memory
    assert second.shape == (3, 3, 4, 4)
    assert np.shares_memory(first, second)
    assert [float(t[0, 0, 0]) for t in second] == [10.0, 11.0, 12.0]


def test_a_bigger_batch_or_another_shape_gets_a_new_array():
    buffer = BatchBuffer()
    small = buffer.stack(_tensors(2, 0.0))
    bigger = buffer.stack(_tensors(5, 0.0))
    assert bigger.shape == (5, 3, 4, 4) and not np.shares_memory(small, bigger)
    other = buffer.stack([np.ones((3, 8, 8), np.float32)])
    assert other.shape == (1, 3, 8, 8) and not np.shares_memory(bigger, other)


def test_a_large_batch_copied_by_several_threads_keeps_its_order():
    buffer = BatchBuffer()
    tensors = _tensors(70, 0.0)  # several copy threads, a short last share
    stacked = buffer.stack(tensors)
    assert stacked.shape == (70, 3, 4, 4)
    assert [float(t[0, 0, 0]) for t in stacked] == [float(i) for i in range(70)]
    assert np.array_equal(stacked, np.stack(tensors))
