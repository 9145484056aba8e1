"""Tests of the reference sampler: the official step, the cache bookkeeping and causality."""

import unittest

import numpy as np
import torch

from avatarlab_train.fixtures import random_model
from avatarlab_train.model import ModelConfig
from avatarlab_train.sampler import SamplerOptions, Window, combine, flow_step, shifted
from avatarlab_train.train import sample_timesteps
from avatarlab_train.verify import sampler_checks


class FlowStepTests(unittest.TestCase):
    def test_flowStep_matchesHandComputedValues(self):
        # t = 500 -> 250: s = 0.5, s_next = 0.25, x0 = x - s v = 1 - 0.5 * 2 = 0,
        # r = 0.5, x_next = r x + ((1 - s_next) - r (1 - s)) x0 = 0.5 * 1 + 0.5 * 0 = 0.5
        x = np.array([[[1.0]]])
        v = np.array([[[2.0]]])
        out = flow_step(x, v, np.array([[500.0]]), np.array([[250.0]]), 1000)
        self.assertAlmostEqual(out[0, 0, 0], 0.5)

    def test_flowStep_lastStepToZero_returnsX0(self):
        x, v = np.array([[[0.3]]]), np.array([[[0.8]]])
        out = flow_step(x, v, np.array([[125.0]]), np.array([[0.0]]), 1000)
        self.assertAlmostEqual(out[0, 0, 0], 0.3 - 0.125 * 0.8)

    def test_flowStep_contextFrames_stayUnchanged(self):
        x, v = np.array([[[0.3], [0.7]]]), np.array([[[5.0], [5.0]]])
        out = flow_step(x, v, np.array([[0.0, 1000.0]]), np.array([[0.0, 875.0]]), 1000)
        self.assertEqual(out[0, 0, 0], 0.3)
        self.assertNotEqual(out[0, 1, 0], 0.7)

    def test_timesteps_defaultNfe_areTheOfficialList(self):
        np.testing.assert_allclose(SamplerOptions().timesteps(), [1000, 875, 750, 625, 500, 375, 250, 125, 0])

    def test_timesteps_shiftHalf_crowdAtLowNoise(self):
        # s' = 0.5 s / (1 - 0.5 s): 0.875 -> 0.7778, 0.125 -> 0.0667; the ends stay.
        steps = SamplerOptions(shift=0.5).timesteps()
        np.testing.assert_allclose(steps[[0, 1, 7, 8]], [1000, 7000 / 9, 1000 / 15, 0], atol=1e-9)

    def test_shifted_identityAtOne_andMonotonic(self):
        t = np.linspace(0, 1000, 101)
        np.testing.assert_array_equal(shifted(t, 1.0, 1000), t)
        for shift in (0.3, 3.0):
            self.assertTrue(np.all(np.diff(shifted(t, shift, 1000)) > 0))

    def test_trainingTimesteps_followTheShift(self):
        # With shift 0.3 a uniform level u lands below s = 0.1 when u < 0.27: about a quarter
        # of the noisy frames, against a tenth without the shift.
        rng = np.random.default_rng(0)
        for shift, expected in ((1.0, 0.1), (0.3, 0.1 / (0.3 + 0.07))):
            t = sample_timesteps(rng, 4000, 1000, shift)
            noisy = t[t > 0]
            self.assertAlmostEqual(float(np.mean(noisy < 100)), expected, delta=0.02)

    def test_combine_threeWayGuidance(self):
        v = np.array([[[1.0]], [[3.0]], [[2.0]]])  # none, avatar, user for one conversation
        out = combine(v, 1, SamplerOptions(avatar_scale=2.0, user_scale=1.0))
        self.assertAlmostEqual(out[0, 0, 0], 1.0 + 2.0 * 2.0 + 1.0 * 1.0)


class StreamingTests(unittest.TestCase):
    def test_singleLayer_cachedEqualsRecomputed_andIsCausal(self):
        torch.manual_seed(0)
        model = random_model(ModelConfig(width=32, layers=1, heads=2, audio_dim=160, user_audio_dim=160), seed=3)
        result = sampler_checks(model, Window(clip=20, block=5, context=2), blocks=4)
        self.assertLessEqual(result["cached_vs_recomputed_max_abs"], 1e-4)
        self.assertTrue(result["causal"])
        self.assertTrue(result["inputs_matter"])

    def test_threeLayers_pathsDiffer_butStayCausal(self):
        model = random_model(ModelConfig(width=32, layers=3, heads=2), seed=4)
        result = sampler_checks(model, Window(clip=20, block=5, context=2), blocks=4)
        self.assertGreater(result["cached_vs_recomputed_max_abs"], 1e-6)
        self.assertTrue(result["causal"])

    def test_perFrameEncoders_singleLayer_cachedEqualsRecomputed_andIsCausal(self):
        for encoder, seed in (("gated", 5), ("film", 7)):
            with self.subTest(encoder=encoder):
                model = random_model(ModelConfig(width=32, layers=1, heads=2, audio_dim=160, user_audio_dim=160,
                                                 encoder=encoder), seed=seed)
                result = sampler_checks(model, Window(clip=20, block=5, context=2), blocks=4)
                self.assertLessEqual(result["cached_vs_recomputed_max_abs"], 1e-4)
                self.assertTrue(result["causal"])
                self.assertTrue(result["inputs_matter"])

    def test_gatedEncoder_isPerFrame_andHearsEveryStream(self):
        model = random_model(ModelConfig(width=32, layers=1, heads=2, audio_dim=160, user_audio_dim=160,
                                         encoder="gated"), seed=6)
        enc = model.cond_encoder
        g = torch.Generator().manual_seed(0)
        streams = [torch.randn(2, 6, 160, generator=g), torch.randn(2, 6, 160, generator=g), torch.randn(2, 6, 12, generator=g)]
        with torch.no_grad():
            base = enc(*streams, 2, 6)
            for i in range(3):
                changed = [s.clone() for s in streams]
                changed[i][:, 4] += 1.0
                diff = (enc(*changed, 2, 6) - base).abs().amax(dim=(0, 2))
                self.assertEqual(base.shape, (2, 6, 32))
                self.assertGreater(diff[4].item(), 1e-4, f"stream {i} reaches the condition")
                self.assertEqual(diff[torch.arange(6) != 4].max().item(), 0.0, f"stream {i}: other frames unchanged")

    def test_filmEncoder_isPerFrame_andHearsEveryStreamAndEveryAnalysisFrame(self):
        model = random_model(ModelConfig(width=32, layers=1, heads=2, audio_dim=160, user_audio_dim=160,
                                         encoder="film"), seed=8)
        enc = model.cond_encoder
        g = torch.Generator().manual_seed(0)
        streams = [torch.randn(2, 6, 160, generator=g), torch.randn(2, 6, 160, generator=g), torch.randn(2, 6, 12, generator=g)]
        with torch.no_grad():
            base = enc(*streams, 2, 6)
            self.assertEqual(base.shape, (2, 6, 32))
            # Each stream, and for the audio streams the last of the frame's 4 analysis frames
            # (columns 120..159 of 160), reaches the condition of its own frame only.
            for i, cols in ((0, slice(120, 160)), (1, slice(120, 160)), (2, slice(0, 12))):
                changed = [s.clone() for s in streams]
                changed[i][:, 4, cols] += 1.0
                diff = (enc(*changed, 2, 6) - base).abs().amax(dim=(0, 2))
                self.assertGreater(diff[4].item(), 1e-4, f"stream {i} reaches the condition")
                self.assertEqual(diff[torch.arange(6) != 4].max().item(), 0.0, f"stream {i}: other frames unchanged")

    def test_flowStep_withBounds_clampsX0_andTheLastStepLandsInRange(self):
        from avatarlab_train.sampler import face_param_bounds, flow_step
        lo, hi = face_param_bounds()
        x = np.full((1, 2, 12), 0.5)
        v = np.full((1, 2, 12), -20.0)  # x0 = x - s v far above every range
        t, t_last = np.full((1, 2), 100.0), np.zeros((1, 2))
        free = flow_step(x, v, t, t_last, 1000)
        clamped = flow_step(x, v, t, t_last, 1000, (lo, hi))
        self.assertTrue((free > hi).all())
        np.testing.assert_allclose(clamped, np.broadcast_to(hi, clamped.shape))
        inside = np.full((1, 2, 12), 0.1)
        np.testing.assert_array_equal(flow_step(inside, inside * 0, t, t_last, 1000, (lo, hi)),
                                      flow_step(inside, inside * 0, t, t_last, 1000))

    def test_window_selfCacheSizes_followTheBrief(self):
        w = Window()
        self.assertEqual((w.self_cache, w.cross_cache), (38, 2))
        self.assertEqual(w.frames_for(49), 0)
        self.assertEqual(w.frames_for(75), 70)


if __name__ == "__main__":
    unittest.main()
