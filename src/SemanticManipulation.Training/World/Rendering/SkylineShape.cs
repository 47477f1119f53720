namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Everything between a noisy top line and a bottom line: distant hills (smooth crest) or tree lines (rounded crowns).
/// </summary>
/// <param name="baseY">The crest's lowest level.</param>
/// <param name="bottomY">Where the region ends (just below the horizon).</param>
/// <param name="swell">Height of the broad undulation.</param>
/// <param name="swellScale">Undulations per unit of x.</param>
/// <param name="crowns">Height of the small rounded bumps (0 for smooth hills).</param>
/// <param name="crownScale">Bumps per unit of x.</param>
/// <param name="noiseOffset">Where in the noise field this skyline reads.</param>
internal readonly struct SkylineShape(float baseY, float bottomY, float swell, float swellScale, float crowns, float crownScale, Vec2 noiseOffset) : IShape
{
    public float BaseY => baseY;

    public float BottomY => bottomY;

    public Bounds Bounds => new(0f, baseY - swell - crowns, 1f, bottomY);

    /// <summary>The crest's y at x.</summary>
    public float TopAt(float x)
    {
        float top = baseY - (swell * (0.5f + (0.5f * ValueNoise.Fractal((x * swellScale) + noiseOffset.X, noiseOffset.Y))));
        if (crowns > 0f)
        {
            // |noise| has rounded maxima and sharp zero-crossings: rounded tree crowns separated by narrow gaps.
            top -= crowns * MathF.Min(1f, 1.6f * MathF.Abs(ValueNoise.Sample((x * crownScale) + noiseOffset.Y, noiseOffset.X)));
        }

        return top;
    }

    public bool Contains(float x, float y) => y <= bottomY && y >= TopAt(x);
}
