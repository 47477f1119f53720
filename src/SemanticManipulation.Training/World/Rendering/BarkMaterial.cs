namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A trunk or branch: bark colour shaded across its width like a cylinder, with vertical streaks.</summary>
internal readonly struct BarkMaterial(Rgb color, float centerX, float halfWidth, SceneLight light) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float nx = Math.Clamp((x - centerX) / halfWidth, -1f, 1f);
        float streak = 1f + (0.15f * ValueNoise.Sample(x * 200f, y * 20f));
        return color * light.On(nx, 0f, MathF.Sqrt(1f - (nx * nx))) * streak;
    }
}
