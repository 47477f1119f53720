namespace SemanticManipulation.Training.World.Rendering;

/// <summary>An axis-aligned ellipse (rose windows, ground shadows, lantern balls).</summary>
internal readonly struct EllipseShape(float centerX, float centerY, float radiusX, float radiusY) : IShape
{
    private readonly float _inverseRx = 1f / radiusX;
    private readonly float _inverseRy = 1f / radiusY;

    public Bounds Bounds => new(centerX - radiusX, centerY - radiusY, centerX + radiusX, centerY + radiusY);

    public bool Contains(float x, float y)
    {
        float dx = (x - centerX) * _inverseRx;
        float dy = (y - centerY) * _inverseRy;
        return (dx * dx) + (dy * dy) <= 1f;
    }
}
