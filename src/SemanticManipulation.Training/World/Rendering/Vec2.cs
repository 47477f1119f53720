namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A point in scene coordinates: x right and y down, the image spanning [0, 1] on both axes.</summary>
internal readonly record struct Vec2(float X, float Y)
{
    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);

    public static Vec2 operator -(Vec2 a, Vec2 b) => new(a.X - b.X, a.Y - b.Y);

    public static Vec2 operator *(Vec2 a, float k) => new(a.X * k, a.Y * k);

    public static Vec2 Lerp(Vec2 a, Vec2 b, float t) => new(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t));
}
