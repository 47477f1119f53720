namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Maps image points on a receding plane (a building's side wall or roof slope) to flat face coordinates (U, V), so
/// that bricks, tiles and windows drawn in face coordinates come out foreshortened toward the vanishing point.
/// </summary>
/// <remarks>
/// A receding plane is swept by moving a front line (from <c>A</c> to <c>E</c>, lying in the picture plane) back toward
/// the vanishing point: a point at depth z is scaled toward it by f = z / (z + C). To invert, the sample is projected
/// from the vanishing point onto the front line, which gives both the position along the line and the scale. The
/// identity frame (<see cref="Front"/>) is used for faces parallel to the picture plane.
/// </remarks>
internal readonly struct FaceFrame
{
    private readonly bool _receding;
    private readonly Vec2 _a;
    private readonly Vec2 _edge;
    private readonly Vec2 _vanishing;
    private readonly float _depthScale;
    private readonly float _uOrigin;
    private readonly float _uSign;
    private readonly float _vOrigin;
    private readonly float _length;

    /// <param name="a">Start of the front line (V = <paramref name="vOrigin"/> there).</param>
    /// <param name="e">End of the front line.</param>
    /// <param name="vanishing">Where the plane's receding lines meet.</param>
    /// <param name="depthScale">Depth at which the plane appears half its front size (C above).</param>
    /// <param name="uOrigin">U at the front line.</param>
    /// <param name="uSign">Whether U grows (+1) or shrinks (-1) with depth, so that U continues across a corner.</param>
    /// <param name="vOrigin">V at <paramref name="a"/>; V grows by the line's length toward <paramref name="e"/>.</param>
    public FaceFrame(Vec2 a, Vec2 e, Vec2 vanishing, float depthScale, float uOrigin, float uSign, float vOrigin)
    {
        _receding = true;
        _a = a;
        _edge = e - a;
        _vanishing = vanishing;
        _depthScale = depthScale;
        _uOrigin = uOrigin;
        _uSign = uSign;
        _vOrigin = vOrigin;
        _length = MathF.Sqrt((_edge.X * _edge.X) + (_edge.Y * _edge.Y));
    }

    /// <summary>The identity frame: U = x, V = y.</summary>
    public static FaceFrame Front => default;

    /// <summary>Whether this is the identity frame of a face parallel to the picture plane.</summary>
    public bool IsFront => !_receding;

    /// <summary>Face coordinates of the image point (x, y).</summary>
    public Vec2 ToFace(float x, float y)
    {
        if (!_receding)
        {
            return new Vec2(x, y);
        }

        // Solve vanishing + t·d = a + s·edge for (t, s), with d the direction from the vanishing point to the sample.
        float dx = x - _vanishing.X, dy = y - _vanishing.Y;
        float ox = _a.X - _vanishing.X, oy = _a.Y - _vanishing.Y;
        float det = (-dx * _edge.Y) + (_edge.X * dy);
        if (MathF.Abs(det) < 1e-9f)
        {
            return new Vec2(_uOrigin, _vOrigin);
        }

        float t = ((-ox * _edge.Y) + (_edge.X * oy)) / det;
        float s = ((dx * oy) - (dy * ox)) / det;

        // The sample is the front point scaled toward the vanishing point by 1 / t = 1 - f, so depth = C·(t - 1).
        float depth = _depthScale * MathF.Max(t - 1f, 0f);
        return new Vec2(_uOrigin + (_uSign * depth), _vOrigin + (s * _length));
    }

    /// <summary>The image point of face coordinates (u, v).</summary>
    public Vec2 ToScene(float u, float v)
    {
        if (!_receding)
        {
            return new Vec2(u, v);
        }

        float depth = MathF.Max((u - _uOrigin) * _uSign, 0f);
        float s = _length > 0f ? (v - _vOrigin) / _length : 0f;
        Vec2 front = _a + (_edge * s);
        float f = depth / (depth + _depthScale);
        return Vec2.Lerp(front, _vanishing, f);
    }
}
