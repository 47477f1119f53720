namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A convex polygon (walls, gables, roof planes, spires), tested as the intersection of its edges' half-planes.</summary>
internal readonly struct ConvexPolygon : IShape
{
    // Three coefficients (a, b, c) per edge; a point is inside when a·x + b·y + c ≥ 0 for every edge.
    private readonly float[] _edges;

    public ConvexPolygon(params ReadOnlySpan<Vec2> vertices)
    {
        float area = 0f;
        for (int i = 0; i < vertices.Length; i++)
        {
            Vec2 p = vertices[i], q = vertices[(i + 1) % vertices.Length];
            area += (p.X * q.Y) - (q.X * p.Y);
        }

        // Orient the half-planes so that "inside" is the polygon's side whatever the winding the caller used.
        float sign = area >= 0f ? 1f : -1f;
        _edges = new float[3 * vertices.Length];
        for (int i = 0; i < vertices.Length; i++)
        {
            Vec2 p = vertices[i], q = vertices[(i + 1) % vertices.Length];
            float a = -(q.Y - p.Y) * sign;
            float b = (q.X - p.X) * sign;
            _edges[3 * i] = a;
            _edges[(3 * i) + 1] = b;
            _edges[(3 * i) + 2] = -((a * p.X) + (b * p.Y));
        }

        Bounds = Bounds.Around(vertices);
    }

    public Bounds Bounds { get; }

    public bool Contains(float x, float y)
    {
        float[] e = _edges;
        for (int i = 0; i < e.Length; i += 3)
        {
            if ((e[i] * x) + (e[i + 1] * y) + e[i + 2] < 0f)
            {
                return false;
            }
        }

        return true;
    }
}
