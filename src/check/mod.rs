//! The `check` stage: findings about a composed issue (overset, photo resolution, QR).
