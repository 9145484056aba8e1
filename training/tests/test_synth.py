"""Synthetic conversations: the generator versions and the stressed-syllable nods of synth/2."""

import unittest

import numpy as np

from avatarlab_train import synth
from avatarlab_train.features import FPS


class GeneratorTests(unittest.TestCase):
    def test_default_isSynth1(self):
        self.assertEqual(synth.GENERATOR_VERSION, "synth/1")
        a = synth.generate_conversation(11, synth.MIN_SECONDS)
        b = synth.generate_conversation(11, synth.MIN_SECONDS, "synth/1")
        for key in a:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)

    def test_synth2_keepsTheUserSide_andChangesTheAvatarsNods(self):
        a = synth.generate_conversation(12, synth.MIN_SECONDS, "synth/1")
        b = synth.generate_conversation(12, synth.MIN_SECONDS, "synth/2")
        for key in ("user_motion", "user_speaking", "user_laugh", "avatar_speaking"):
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        self.assertFalse(np.array_equal(a["avatar_motion"], b["avatar_motion"]))

    def test_unknownGenerator_isRefusedByName(self):
        with self.assertRaisesRegex(ValueError, "synth/9"):
            synth.generate_conversation(1, synth.MIN_SECONDS, "synth/9")


class StressTests(unittest.TestCase):
    def test_stresses_areLoudPeaks_insideAllowed_andSpacedApart(self):
        frames = 400
        t = np.arange(frames) / FPS
        loud = -20 + 15 * np.sin(2 * np.pi * 4.0 * t)          # peaks at -5 dB, 4 per second
        allowed = np.zeros(frames, dtype=bool)
        allowed[50:350] = True
        times = synth._stresses(loud, allowed)
        self.assertGreater(len(times), 5)
        frames_at = np.round(np.array(times) * FPS).astype(int)
        self.assertTrue(allowed[frames_at].all())
        self.assertTrue((loud[frames_at] >= synth.STRESS_DB).all())
        self.assertTrue((np.diff(times) >= synth.STRESS_GAP_S - 1e-9).all())
        self.assertEqual(synth._stresses(loud - 20, allowed), [], "no peak is loud enough")


if __name__ == "__main__":
    unittest.main()
