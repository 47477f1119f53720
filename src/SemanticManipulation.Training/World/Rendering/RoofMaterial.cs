namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Tiles or slates in overlapping rows; optionally split into a lit and a shaded half along a vertical line (spires and
/// pyramid roofs seen corner-on).
/// </summary>
/// <param name="frame">Maps the roof plane to face coordinates whose V runs down the slope.</param>
/// <param name="color">Average tile colour.</param>
/// <param name="rowHeight">Height of one row of tiles in face units.</param>
/// <param name="left">Brightness left of <paramref name="splitX"/>.</param>
/// <param name="right">Brightness right of it (equal to <paramref name="left"/> for an unsplit plane).</param>
/// <param name="splitX">The image x where the two halves meet.</param>
/// <param name="salt">Varies the tiles between roofs.</param>
internal readonly struct RoofMaterial(FaceFrame frame, Rgb color, float rowHeight, Rgb left, Rgb right, float splitX, uint salt) : IMaterial
{
    private readonly float _inverseRow = 1f / rowHeight;

    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 q = frame.ToFace(x, y);
        float rv = q.Y * _inverseRow;
        float row = MathF.Floor(rv);
        float fv = rv - row;
        int r = (int)row;
        float cu = (q.X * _inverseRow * 0.8f) + ((r & 1) * 0.5f);
        int column = (int)MathF.Floor(cu);

        // Each row's lower edge is shadowed by the overlap of the row below it.
        float overlap = fv > 0.8f ? 0.72f : 1f - (0.1f * fv);
        float tone = 1f + (0.1f * Hash.Signed(column, r, salt));
        float weather = 1f + (0.1f * ValueNoise.Fractal(q.X * 6f, q.Y * 6f));
        return color * (overlap * tone * weather) * (x < splitX ? left : right);
    }
}
