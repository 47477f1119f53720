namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A doorway or window outline: a rectangle whose top is a half-ellipse of the given rise (0 for a flat top).</summary>
internal readonly struct ArchShape : IShape
{
    private readonly float _left;
    private readonly float _top;
    private readonly float _right;
    private readonly float _bottom;
    private readonly float _springY;
    private readonly float _centerX;
    private readonly float _inverseHalfWidth;
    private readonly float _inverseRise;

    /// <param name="left">Left jamb.</param>
    /// <param name="right">Right jamb.</param>
    /// <param name="top">Topmost point (the crown of the arch).</param>
    /// <param name="bottom">Sill or threshold.</param>
    /// <param name="rise">Height of the curved part; 0 makes a rectangle.</param>
    public ArchShape(float left, float right, float top, float bottom, float rise)
    {
        _left = left;
        _top = top;
        _right = right;
        _bottom = bottom;
        _springY = top + rise;
        _centerX = 0.5f * (left + right);
        _inverseHalfWidth = 2f / MathF.Max(right - left, 1e-6f);
        _inverseRise = rise > 0f ? 1f / rise : 0f;
        Bounds = new Bounds(left, top, right, bottom);
    }

    public Bounds Bounds { get; }

    public bool Contains(float x, float y)
    {
        if (x < _left || x > _right || y > _bottom || y < _top)
        {
            return false;
        }

        if (y >= _springY)
        {
            return true;
        }

        float dx = (x - _centerX) * _inverseHalfWidth;
        float dy = (_springY - y) * _inverseRise;
        return (dx * dx) + (dy * dy) <= 1f;
    }
}
