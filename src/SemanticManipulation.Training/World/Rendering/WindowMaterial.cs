namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Window glass: dark with a faint sky reflection, or glowing warm from inside; a light cross of mullion and transom.
/// </summary>
/// <param name="frame">Maps the wall's face to image points.</param>
/// <param name="glass">Glass colour (dark) or the interior glow (lit).</param>
/// <param name="lit">Whether the window glows (then it ignores the daylight).</param>
/// <param name="left">Left edge in face units.</param>
/// <param name="right">Right edge.</param>
/// <param name="top">Top.</param>
/// <param name="bottom">Sill.</param>
/// <param name="mullions">Whether to draw the cross of glazing bars.</param>
/// <param name="brightness">How the wall is lit (applies to the bars and the reflection).</param>
internal readonly struct WindowMaterial(FaceFrame frame, Rgb glass, bool lit, float left, float right, float top, float bottom, bool mullions, Rgb brightness) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 q = frame.ToFace(x, y);
        float u = (q.X - left) / (right - left);
        float v = (q.Y - top) / (bottom - top);
        if (mullions && (MathF.Abs(u - 0.5f) < 0.07f || MathF.Abs(v - 0.55f) < 0.035f))
        {
            return Rgb.Gray(0.55f) * brightness;
        }

        if (lit)
        {
            return glass * (1.05f - (0.25f * v));
        }

        float reflection = 0.7f + (0.6f * MathF.Max(0f, 1f - v - (0.5f * u)));
        return glass * reflection * brightness;
    }
}
