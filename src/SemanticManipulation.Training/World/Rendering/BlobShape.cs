namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// A union of ellipses ("lobes") with a noisy outline and optional holes: tree crowns, bushes and clouds.
/// </summary>
internal readonly struct BlobShape : IShape
{
    // Four numbers per lobe: centre x, centre y, 1/rx, 1/ry.
    private readonly float[] _lobes;
    private readonly float _edgeNoise;
    private readonly float _noiseScale;
    private readonly float _noiseX;
    private readonly float _noiseY;
    private readonly float _clipBottom;
    private readonly float _holeThreshold;
    private readonly float _holeScale;

    /// <param name="lobes">Centre and radii of each lobe, as (cx, cy, rx, ry).</param>
    /// <param name="edgeNoise">How far the outline wanders, relative to the lobe radius squared (0 for smooth).</param>
    /// <param name="noiseScale">Features of the outline noise per unit.</param>
    /// <param name="noiseOffset">Where in the noise field this blob reads, so that blobs differ.</param>
    /// <param name="clipBottom">Nothing below this y (flat cloud bases); <see cref="float.PositiveInfinity"/> for none.</param>
    /// <param name="holeThreshold">Noise level above which the blob has gaps (bare winter crowns); 1 or more for none.</param>
    /// <param name="holeScale">Features of the gap noise per unit.</param>
    public BlobShape(ReadOnlySpan<(float X, float Y, float Rx, float Ry)> lobes, float edgeNoise, float noiseScale, Vec2 noiseOffset,
        float clipBottom = float.PositiveInfinity, float holeThreshold = 1f, float holeScale = 1f)
    {
        _lobes = new float[4 * lobes.Length];
        float grow = MathF.Sqrt(1f + edgeNoise);
        float l = float.MaxValue, t = float.MaxValue, r = float.MinValue, b = float.MinValue;
        for (int i = 0; i < lobes.Length; i++)
        {
            var (x, y, rx, ry) = lobes[i];
            _lobes[4 * i] = x;
            _lobes[(4 * i) + 1] = y;
            _lobes[(4 * i) + 2] = 1f / rx;
            _lobes[(4 * i) + 3] = 1f / ry;
            l = MathF.Min(l, x - (rx * grow));
            r = MathF.Max(r, x + (rx * grow));
            t = MathF.Min(t, y - (ry * grow));
            b = MathF.Max(b, y + (ry * grow));
        }

        _edgeNoise = edgeNoise;
        _noiseScale = noiseScale;
        _noiseX = noiseOffset.X;
        _noiseY = noiseOffset.Y;
        _clipBottom = clipBottom;
        _holeThreshold = holeThreshold;
        _holeScale = holeScale;
        Bounds = new Bounds(l, t, r, MathF.Min(b, clipBottom));
    }

    public Bounds Bounds { get; }

    public bool Contains(float x, float y)
    {
        if (y > _clipBottom)
        {
            return false;
        }

        float best = float.MaxValue;
        float[] lobes = _lobes;
        for (int i = 0; i < lobes.Length; i += 4)
        {
            float dx = (x - lobes[i]) * lobes[i + 2];
            float dy = (y - lobes[i + 1]) * lobes[i + 3];
            best = MathF.Min(best, (dx * dx) + (dy * dy));
        }

        // The noise is only read near the outline, where it can change the answer.
        if (best > 1f + _edgeNoise)
        {
            return false;
        }

        if (best > 1f - _edgeNoise &&
            best > 1f + (_edgeNoise * ValueNoise.Sample((x * _noiseScale) + _noiseX, (y * _noiseScale) + _noiseY)))
        {
            return false;
        }

        return _holeThreshold >= 1f ||
            ValueNoise.Fractal((x * _holeScale) + _noiseY, (y * _holeScale) + _noiseX) < _holeThreshold;
    }
}
