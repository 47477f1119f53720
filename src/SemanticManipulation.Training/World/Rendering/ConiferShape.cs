namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A fir or spruce silhouette: a cone of stacked, drooping tiers with a ragged edge.</summary>
internal readonly struct ConiferShape(float apexX, float apexY, float baseY, float halfWidth, float tiers, Vec2 noiseOffset) : IShape
{
    private readonly float _inverseHeight = 1f / (baseY - apexY);

    public Bounds Bounds => new(apexX - (halfWidth * 1.15f), apexY, apexX + (halfWidth * 1.15f), baseY);

    public bool Contains(float x, float y)
    {
        if (y < apexY || y > baseY)
        {
            return false;
        }

        float t = (y - apexY) * _inverseHeight;
        float tier = t * tiers;
        float withinTier = tier - MathF.Floor(tier);
        float ragged = 1f + (0.16f * ValueNoise.Sample((x * 90f) + noiseOffset.X, (y * 90f) + noiseOffset.Y));
        float width = halfWidth * (0.08f + (0.92f * t)) * (0.6f + (0.4f * withinTier)) * ragged;
        return MathF.Abs(x - apexX) <= width;
    }
}
