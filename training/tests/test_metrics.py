"""Tests of avatarlab_train.metrics.

Run from training/:  /usr/bin/python3 -m unittest discover -s tests -v
(plain unittest, since pytest is not installed with Debian's interpreter; pytest would
also collect these classes).
"""

import math
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from avatarlab_train import metrics as M  # noqa: E402

T = 1000  # 40 s at 25 fps: long enough for stable correlations and energies


def smooth_noise(rng, n, width=5):
    """Low-passed noise: a plausible facial curve with a sharp autocorrelation peak."""
    x = rng.standard_normal(n + width)
    return np.convolve(x, np.ones(width) / width, mode="valid")[:n]


def neutral_track(n=T):
    return np.zeros((n, M.NUM_CHANNELS))


class PccTests(unittest.TestCase):
    def test_pcc_constant_is_zero_not_nan(self):
        x = np.linspace(0, 1, 50)
        self.assertEqual(M.pcc(np.full(50, 0.1), x), 0.0)
        self.assertEqual(M.pcc(x, np.full(50, 0.1)), 0.0)

    def test_pcc_affine_and_inverted(self):
        x = np.random.default_rng(0).standard_normal(200)
        self.assertAlmostEqual(M.pcc(x, 3 * x + 2), 1.0, places=12)
        self.assertAlmostEqual(M.pcc(x, -x), -1.0, places=12)

    def test_pcc_skips_nan_pairs(self):
        x = np.random.default_rng(1).standard_normal(100)
        y = 2 * x
        y[10] = np.nan
        x[20] = np.inf
        self.assertAlmostEqual(M.pcc(x, y), 1.0, places=12)

    def test_lagged_pcc_direction_y_after_x(self):
        rng = np.random.default_rng(2)
        x = smooth_noise(rng, T)
        y = np.concatenate([np.zeros(3), x[:-3]])  # y follows x by 3 frames
        r = M.lagged_pcc(x, y, 10)
        self.assertEqual(r.shape, (11,))
        self.assertEqual(int(np.argmax(r)), 3)
        self.assertGreater(r[3], 0.99)

    def test_lagged_pcc_too_short_overlap_is_nan(self):
        x = np.arange(30.0)
        r = M.lagged_pcc(x, x, 10)
        self.assertFalse(np.isnan(r[5]))   # overlap 25 frames
        self.assertTrue(np.isnan(r[6]))    # overlap 24 < MIN_CORR_FRAMES


class LoudnessAndLipSyncTests(unittest.TestCase):
    def test_envelope_per_frame_rms_db(self):
        audio = np.concatenate([np.zeros(640), np.full(640, 0.1), -np.full(640, 0.5)])
        env = M.loudness_envelope(np.concatenate([audio, np.ones(100)]))  # partial frame
        self.assertEqual(env.shape, (3,))
        np.testing.assert_allclose(env, 20 * np.log10(np.array([0, 0.1, 0.5]) + 1e-5))
        self.assertAlmostEqual(env[0], -100.0)

    def _speech(self, rng, n):
        # Noise whose per-frame amplitude follows a slow random envelope.
        amp = 0.01 + 0.3 * np.abs(smooth_noise(rng, n, 8))
        audio = np.repeat(amp, M.SAMPLES_PER_FRAME) * rng.standard_normal(n * 640)
        return audio

    def test_lip_sync_jaw_following_envelope_is_one(self):
        rng = np.random.default_rng(3)
        audio = self._speech(rng, T)
        env = M.loudness_envelope(audio)
        avatar = neutral_track()
        speaking = np.zeros(T, bool)
        speaking[100:600] = True
        avatar[:, M.JAW_OPEN] = rng.uniform(0, 1, T)  # garbage while silent: not counted
        avatar[speaking, M.JAW_OPEN] = 0.01 * (env[speaking] + 60)
        self.assertGreater(M.lip_sync(avatar, audio, speaking), 0.999)

    def test_lip_sync_unrelated_jaw_is_low(self):
        rng = np.random.default_rng(4)
        audio = self._speech(rng, T)
        avatar = neutral_track()
        avatar[:, M.JAW_OPEN] = rng.uniform(0, 1, T)
        self.assertLess(abs(M.lip_sync(avatar, audio, np.ones(T, bool))), 0.15)

    def test_lip_sync_too_few_speaking_frames_is_nan(self):
        rng = np.random.default_rng(5)
        audio = self._speech(rng, T)
        avatar = neutral_track()
        avatar[:, M.JAW_OPEN] = rng.uniform(0, 1, T)
        speaking = np.zeros(T, bool)
        speaking[:24] = True
        self.assertTrue(math.isnan(M.lip_sync(avatar, audio, speaking)))

    def test_lip_sync_rejects_misaligned_audio(self):
        with self.assertRaises(ValueError):
            M.lip_sync(neutral_track(), np.zeros((T - 1) * 640), np.ones(T, bool))


class ReactionProbeTests(unittest.TestCase):
    def test_smile_delayed_by_10_frames(self):
        rng = np.random.default_rng(6)
        user, avatar = neutral_track(), neutral_track()
        user[:, M.MOUTH_SMILE] = smooth_noise(rng, T)
        avatar[10:, M.MOUTH_SMILE] = user[:-10, M.MOUTH_SMILE]
        r, lag = M.smile_mirroring(user, avatar)
        self.assertAlmostEqual(lag, 0.4)
        self.assertGreater(r, 0.99)

    def test_smile_leading_avatar_is_not_mirroring(self):
        # The avatar smiling *before* the user is not a reaction: no lag in 0..1.5 s fits.
        rng = np.random.default_rng(7)
        user, avatar = neutral_track(), neutral_track()
        avatar[:, M.MOUTH_SMILE] = smooth_noise(rng, T)
        user[10:, M.MOUTH_SMILE] = avatar[:-10, M.MOUTH_SMILE]
        r, _ = M.smile_mirroring(user, avatar)
        self.assertLess(r, 0.5)

    def _speaking_blocks(self):
        # Alternating 4 s of user speech and 4 s of silence.
        return (np.arange(T) // 100) % 2 == 0

    def test_nod_ratio_high_when_nodding_only_during_speech(self):
        speaking = self._speaking_blocks()
        avatar = neutral_track()
        t = np.arange(T) / M.FPS
        avatar[:, M.HEAD_PITCH] = np.where(speaking, 0.05 * np.sin(2 * np.pi * 2.0 * t), 0.0)
        self.assertGreater(M.nod_energy_ratio(avatar, speaking), 10.0)

    def test_nod_ratio_about_one_for_uniform_noise(self):
        rng = np.random.default_rng(8)
        avatar = neutral_track()
        avatar[:, M.HEAD_PITCH] = rng.uniform(-0.1, 0.1, T)
        ratio = M.nod_energy_ratio(avatar, self._speaking_blocks())
        self.assertGreater(ratio, 0.8)
        self.assertLess(ratio, 1.25)

    def test_nod_ratio_ignores_slow_drift(self):
        # 0.1 Hz sway, far below the 1-4 Hz band, must not count as nodding, even when it
        # is much larger than the nods it sits on.
        speaking = self._speaking_blocks()
        t = np.arange(T) / M.FPS
        avatar = neutral_track()
        avatar[:, M.HEAD_PITCH] = 0.3 * np.sin(2 * np.pi * 0.1 * t) + np.where(
            speaking, 0.02 * np.sin(2 * np.pi * 2.5 * t), 0.0)
        self.assertGreater(M.nod_energy_ratio(avatar, speaking), 5.0)

    def test_nod_ratio_still_head_is_one_and_needs_both_sides(self):
        speaking = self._speaking_blocks()
        self.assertAlmostEqual(M.nod_energy_ratio(neutral_track(), speaking), 1.0)
        self.assertTrue(math.isnan(M.nod_energy_ratio(neutral_track(), np.ones(T, bool))))

    def test_nod_ratio_tolerates_nan_gaps(self):
        speaking = self._speaking_blocks()
        t = np.arange(T) / M.FPS
        avatar = neutral_track()
        avatar[:, M.HEAD_PITCH] = np.where(speaking, 0.05 * np.sin(2 * np.pi * 2.0 * t), 0.0)
        avatar[300:303, M.HEAD_PITCH] = np.nan
        r = M.nod_energy_ratio(avatar, speaking)
        self.assertTrue(np.isfinite(r))
        self.assertGreater(r, 10.0)


class KMeansSidTests(unittest.TestCase):
    def _blobs(self, k, per, dim=3, seed=9):
        rng = np.random.default_rng(seed)
        centres = rng.uniform(-20, 20, (k, dim))
        pts = np.concatenate([c + 0.1 * rng.standard_normal((per, dim)) for c in centres])
        return centres, pts

    def test_kmeans_deterministic_for_seed(self):
        pts = np.random.default_rng(10).standard_normal((500, 4))
        a = M.kmeans_fit(pts, 6, seed=123)
        b = M.kmeans_fit(pts, 6, seed=123)
        np.testing.assert_array_equal(a, b)

    def test_kmeans_recovers_separated_blobs(self):
        true, pts = self._blobs(5, 40)
        centres = M.kmeans_fit(pts, 5, seed=0)
        # Each true centre has a fitted centre within the blob's spread.
        d = np.sqrt(((true[:, None, :] - centres[None]) ** 2).sum(-1))
        self.assertLess(d.min(axis=1).max(), 0.1)

    def test_assign_marks_nonfinite_rows(self):
        centres = np.array([[0.0, 0.0], [10.0, 10.0]])
        frames = np.array([[1.0, 1.0], [9.0, 9.5], [np.nan, 0.0]])
        np.testing.assert_array_equal(M.kmeans_assign(frames, centres), [0, 1, -1])

    def test_sid_single_cluster_is_zero(self):
        self.assertEqual(M.sid(np.zeros(100, int), 9), 0.0)

    def test_sid_equal_use_is_ln_k(self):
        self.assertAlmostEqual(M.sid(np.repeat(np.arange(15), 7), 15), math.log(15))

    def test_sid_of_repeated_frame_is_zero_and_of_spread_near_ln_k(self):
        rng = np.random.default_rng(11)
        gt = [rng.uniform(-0.5, 0.5, (400, M.NUM_CHANNELS)) for _ in range(3)]
        ref = M.fit_sid_reference(gt, seed=0)
        frozen = np.repeat(gt[0][:1], 300, axis=0)
        s = M.sid_scores(frozen, ref)
        self.assertEqual(s, {"pose": 0.0, "expression": 0.0})
        spread = M.sid_scores(rng.uniform(-0.5, 0.5, (2000, M.NUM_CHANNELS)), ref)
        self.assertGreater(spread["pose"], math.log(9) - 0.15)
        self.assertGreater(spread["expression"], math.log(15) - 0.15)

    def test_sid_reference_standardises_with_gt_stats(self):
        rng = np.random.default_rng(12)
        gt = [rng.uniform(-0.5, 0.5, (400, M.NUM_CHANNELS))]
        gt[0][:, M.GAZE_Y] = 0.3  # constant channel: std guarded to 1
        ref = M.fit_sid_reference(gt, seed=0)
        pooled = gt[0]
        np.testing.assert_allclose(ref.mean, pooled.mean(axis=0))
        self.assertEqual(ref.std[M.GAZE_Y], 1.0)
        self.assertEqual(ref.centres["pose"].shape, (9, 3))
        self.assertEqual(ref.centres["expression"].shape, (15, 9))
        # A damped copy of the GT (generated motion that barely moves) is less diverse.
        damped = M.sid_scores(0.1 * gt[0], ref)
        full = M.sid_scores(gt[0], ref)
        self.assertLess(damped["expression"], full["expression"] - 0.5)
        # Round trip through the dashboard's JSON form gives the same scores.
        again = M.sid_scores(gt[0], M.SidReference.from_dict(ref.to_dict()))
        self.assertEqual(again, full)


class GroupStatTests(unittest.TestCase):
    def test_variance_per_group(self):
        track = neutral_track(4)
        track[:, M.HEAD_YAW] = [0, 2, 0, 2]          # var 1
        track[:, M.JAW_OPEN] = [0, 0.2, 0, 0.2]      # var 0.01
        v = M.variance(track)
        self.assertAlmostEqual(v["pose"], 1.0 / 3)
        self.assertAlmostEqual(v["expression"], 0.01 / 9)

    def test_rpcc_zero_for_identical_and_positive_for_inverted(self):
        rng = np.random.default_rng(13)
        user = rng.standard_normal((T, M.NUM_CHANNELS))
        gt = 0.5 * user + rng.standard_normal((T, M.NUM_CHANNELS))
        self.assertEqual(M.rpcc(gt, gt, user, M.POSE_CHANNELS), 0.0)
        r_gt = np.mean([M.pcc(gt[:, c], user[:, c]) for c in M.EXPRESSION_CHANNELS])
        inverted = M.rpcc(gt, -gt, user, M.EXPRESSION_CHANNELS)
        self.assertAlmostEqual(inverted, 2 * r_gt)
        self.assertGreater(inverted, 0.5)


class ConversationTests(unittest.TestCase):
    def test_keys_and_quality_counters(self):
        rng = np.random.default_rng(14)
        user = 0.1 * rng.standard_normal((T, M.NUM_CHANNELS))
        avatar = np.clip(0.1 * rng.standard_normal((T, M.NUM_CHANNELS)), 0, 0.5)
        avatar[0, M.HEAD_YAW] = 0.64        # inside the +0.05 tolerance
        avatar[1, M.HEAD_YAW] = 0.7         # outside
        avatar[2, M.JAW_OPEN] = -0.2        # outside
        avatar[3, M.GAZE_X] = np.nan
        audio = rng.standard_normal(T * 640) * 0.1
        speaking = (np.arange(T) // 50) % 2 == 0
        ref = M.fit_sid_reference([0.1 * rng.standard_normal((T, M.NUM_CHANNELS))], seed=1)
        out = M.conversation_measures(avatar, user, audio, speaking, ~speaking,
                                      sid_ref=ref, avatar_gt=user)
        self.assertEqual(set(out), {
            "lip_sync", "smile_mirror_pcc", "smile_mirror_lag_s", "nod_ratio", "var_pose",
            "var_expression", "sid_pose", "sid_expression", "rpcc_pose", "rpcc_expression",
            "nan_count", "out_of_range_frac"})
        self.assertTrue(all(isinstance(v, float) for v in out.values()))
        self.assertEqual(out["nan_count"], 1.0)
        self.assertAlmostEqual(out["out_of_range_frac"], 2 / (T * M.NUM_CHANNELS - 1))
        bare = M.conversation_measures(avatar, user, audio, speaking, ~speaking)
        self.assertNotIn("sid_pose", bare)
        self.assertNotIn("rpcc_pose", bare)

    def test_aggregate_skips_none_and_nan(self):
        agg = M.aggregate([{"a": 1.0, "b": None}, {"a": float("nan"), "b": 4.0},
                           {"a": 3.0, "b": 2.0, "c": float("nan")}])
        self.assertEqual(agg["a"], 2.0)
        self.assertEqual(agg["b"], 3.0)
        self.assertTrue(math.isnan(agg["c"]))

    def test_ranges_cover_every_channel(self):
        self.assertEqual(tuple(M.FACE_PARAM_RANGES), M.CHANNEL_NAMES)


if __name__ == "__main__":
    unittest.main()
