namespace SemanticManipulation.Training.World.Rendering;

/// <summary>An axis-aligned rectangle.</summary>
internal readonly struct RectShape(float left, float top, float right, float bottom) : IShape
{
    public Bounds Bounds => new(left, top, right, bottom);

    public bool Contains(float x, float y) => x >= left && x <= right && y >= top && y <= bottom;
}
