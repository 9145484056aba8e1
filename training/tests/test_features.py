"""Tests of the built-in log-mel features (the C# engine must reproduce these numbers)."""

import unittest

import numpy as np

from avatarlab_train import features as f


class LogMelTests(unittest.TestCase):
    def test_logmel_shape_dropsTrailingPartialFrame(self):
        x = f.logmel(np.zeros(640 * 3 + 100))
        self.assertEqual(x.shape, (3, 320))
        self.assertEqual(x.dtype, np.float32)

    def test_logmel_silence_isTheFloor(self):
        x = f.logmel(np.zeros(640 * 2))
        floor = (np.log(f.LOG_FLOOR) - f.LOG_OFFSET) / f.LOG_SCALE
        np.testing.assert_allclose(x, floor, rtol=0, atol=1e-6)

    def test_logmel_sine_peaksInTheMelBinOfItsFrequency(self):
        t = np.arange(640 * 4) / f.SAMPLE_RATE
        x = f.logmel(0.5 * np.sin(2 * np.pi * 1000.0 * t))
        last = x[-1].reshape(4, f.MEL_BINS)[-1]
        centres = f.mel_to_hz(np.linspace(f.hz_to_mel(f.F_MIN), f.hz_to_mel(f.F_MAX), f.MEL_BINS + 2))[1:-1]
        self.assertLessEqual(abs(centres[int(np.argmax(last))] - 1000.0), 60.0)

    def test_logmel_isCausal_framesBeforeAChangeKeepTheirValues(self):
        rng = np.random.default_rng(0)
        a = rng.standard_normal(640 * 10) * 0.1
        b = a.copy()
        b[640 * 6:] = rng.standard_normal(640 * 4)
        xa, xb = f.logmel(a), f.logmel(b)
        np.testing.assert_array_equal(xa[:6], xb[:6])
        self.assertGreater(np.abs(xa[6:] - xb[6:]).max(), 0.1)

    def test_logmel_streamedPrefix_equalsWhole(self):
        a = np.random.default_rng(1).standard_normal(640 * 8) * 0.1
        np.testing.assert_array_equal(f.logmel(a[:640 * 5]), f.logmel(a)[:5])

    def test_logmel_otherMelBinCount_changesTheLayout(self):
        self.assertEqual(f.logmel(np.zeros(640), mel_bins=40).shape, (1, 160))
        self.assertEqual(f.mel_filterbank(40).shape, (40, f.N_FFT // 2 + 1))


if __name__ == "__main__":
    unittest.main()
