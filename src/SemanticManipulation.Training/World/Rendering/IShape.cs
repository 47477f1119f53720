namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A region of the image. Implemented by structs so the canvas's fill loop is specialised and inlined.</summary>
internal interface IShape
{
    /// <summary>A box enclosing every point for which <see cref="Contains"/> can be true.</summary>
    Bounds Bounds { get; }

    /// <summary>Whether the scene point (x, y) lies inside.</summary>
    bool Contains(float x, float y);
}
