namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A wooden door: vertical planks with dark seams, wood grain, darkening toward the top of its recess.</summary>
/// <param name="frame">Maps the wall's face to image points.</param>
/// <param name="color">Wood colour.</param>
/// <param name="left">Left edge in face units.</param>
/// <param name="right">Right edge.</param>
/// <param name="top">Top (crown of the arch).</param>
/// <param name="bottom">Threshold.</param>
/// <param name="planks">Number of planks.</param>
/// <param name="brightness">How the wall is lit.</param>
internal readonly struct DoorMaterial(FaceFrame frame, Rgb color, float left, float right, float top, float bottom, int planks, Rgb brightness) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 q = frame.ToFace(x, y);
        float u = (q.X - left) / (right - left) * planks;
        float seam = u - MathF.Floor(u) < 0.14f ? 0.62f : 1f;
        float v = Math.Clamp((q.Y - top) / (bottom - top), 0f, 1f);
        float recess = 0.62f + (0.38f * MathF.Min(1f, v * 1.8f));
        float grain = 1f + (0.09f * ValueNoise.Sample(q.X * 150f, q.Y * 12f));
        return color * (seam * recess * grain) * brightness;
    }
}
