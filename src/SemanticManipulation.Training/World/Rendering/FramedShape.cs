namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A shape defined in a face's flat coordinates (for example a window on a receding side wall).</summary>
internal readonly struct FramedShape<TShape>(TShape inner, FaceFrame frame) : IShape
    where TShape : struct, IShape
{
    public Bounds Bounds
    {
        get
        {
            // The frame is a projective map, so the image of the inner box is the quad through its mapped corners.
            Bounds b = inner.Bounds;
            ReadOnlySpan<Vec2> corners =
            [
                frame.ToScene(b.Left, b.Top), frame.ToScene(b.Right, b.Top),
                frame.ToScene(b.Left, b.Bottom), frame.ToScene(b.Right, b.Bottom),
            ];
            return Bounds.Around(corners);
        }
    }

    public bool Contains(float x, float y)
    {
        Vec2 q = frame.ToFace(x, y);
        return inner.Contains(q.X, q.Y);
    }
}
