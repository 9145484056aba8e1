"""Tests of the training loss: --loss hybrid is L2 on the listed channels and L1 on the others."""

import unittest

import numpy as np
import torch

from avatarlab_train.fixtures import random_model
from avatarlab_train.model import ModelConfig
from avatarlab_train.train import CLIP, L2_CHANNELS_HYBRID, loss_on_batch, sample_timesteps


class HybridLossTests(unittest.TestCase):
    def _batch(self, rng):
        cfg = self.model.cfg
        return {
            "avatar_motion": rng.standard_normal((4, CLIP, cfg.latent_dim)).astype(np.float32),
            "avatar_audio": rng.standard_normal((4, CLIP, cfg.audio_dim)).astype(np.float32),
            "user_audio": rng.standard_normal((4, CLIP, cfg.user_audio_dim)).astype(np.float32),
            "user_motion": rng.standard_normal((4, CLIP, cfg.motion_dim)).astype(np.float32),
        }

    def setUp(self):
        self.model = random_model(ModelConfig(width=32, layers=1, heads=2), seed=0).eval()

    def test_hybrid_isTheChannelMixOfL1AndL2_onTheSameDraws(self):
        batch = self._batch(np.random.default_rng(1))
        with torch.no_grad():
            l1 = loss_on_batch(self.model, batch, np.random.default_rng(7), "l1").item()
            l2 = loss_on_batch(self.model, batch, np.random.default_rng(7), "l2").item()
            hybrid = loss_on_batch(self.model, batch, np.random.default_rng(7), "hybrid").item()
        # Each loss is a mean over noisy frames and channels, so the hybrid lies between the two
        # and differs from both (9 of the 12 channels are L2).
        self.assertEqual(len(L2_CHANNELS_HYBRID), 9)
        self.assertTrue(min(l1, l2) < hybrid < max(l1, l2), (l1, l2, hybrid))

    def test_hybrid_withAZeroModel_isL2OnTheListedChannelsAndL1OnTheRest(self):
        # Every weight zero: the velocity is 0, so the error is -(e - x0) with e and t drawn
        # from the same generator as loss_on_batch draws them (timesteps first, then noise).
        model = random_model(ModelConfig(width=32, layers=1, heads=2), seed=0).eval()
        with torch.no_grad():
            for p in model.parameters():
                p.zero_()
        batch = self._batch(np.random.default_rng(2))
        with torch.no_grad():
            hybrid = loss_on_batch(model, batch, np.random.default_rng(3), "hybrid").item()
        rng = np.random.default_rng(3)
        x0 = batch["avatar_motion"].astype(np.float64)
        t = sample_timesteps(rng, x0.shape[0], model.cfg.train_timesteps, model.cfg.shift)
        e = rng.standard_normal(x0.shape).astype(np.float32).astype(np.float64)
        err = np.abs(e - x0)
        l2 = np.zeros(x0.shape[-1], bool)
        l2[list(L2_CHANNELS_HYBRID)] = True
        per_value = np.where(l2, err * err, err)
        noisy = (t > 0)[..., None]
        expected = (per_value * noisy).sum() / (noisy.sum() * x0.shape[-1])
        self.assertAlmostEqual(hybrid, expected, places=4)

if __name__ == "__main__":
    unittest.main()
