"""Training: optimizers, the fused training step, the loop and the loss landscape."""
