namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// A path on the ground seen in perspective: it narrows linearly toward its far end and may bend.
/// </summary>
/// <param name="farY">The far end's y.</param>
/// <param name="farX">The far end's centre x.</param>
/// <param name="nearX">The centre x where the path leaves the bottom of the image (y = 1).</param>
/// <param name="farHalfWidth">Half-width at the far end.</param>
/// <param name="nearHalfWidth">Half-width at y = 1.</param>
/// <param name="bend">Sideways bulge at the middle of the path.</param>
/// <param name="noiseOffset">Where in the noise field the ragged edge reads.</param>
internal readonly struct PathShape(float farY, float farX, float nearX, float farHalfWidth, float nearHalfWidth, float bend, Vec2 noiseOffset) : IShape
{
    private readonly float _inverseLength = 1f / (1f - farY);

    public Bounds Bounds => new(MathF.Min(farX - farHalfWidth, nearX - nearHalfWidth) - MathF.Abs(bend),
        farY, MathF.Max(farX + farHalfWidth, nearX + nearHalfWidth) + MathF.Abs(bend), 1f);

    public bool Contains(float x, float y)
    {
        if (y < farY)
        {
            return false;
        }

        float t = (y - farY) * _inverseLength;
        float center = farX + ((nearX - farX) * t) + (4f * bend * t * (1f - t));
        float half = farHalfWidth + ((nearHalfWidth - farHalfWidth) * t);
        float ragged = 1f + (0.14f * ValueNoise.Sample((x * 60f) + noiseOffset.X, (y * 60f) + noiseOffset.Y));
        return MathF.Abs(x - center) <= half * ragged;
    }
}
