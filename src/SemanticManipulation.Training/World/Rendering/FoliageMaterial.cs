namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Leaves: a crown lit from the sun's side and from above, broken into clumps with shadowed gaps, with an optional
/// second colour mixed in patches (autumn tints, new growth).
/// </summary>
/// <param name="center">Centre of the crown.</param>
/// <param name="radiusX">Half-width of the crown.</param>
/// <param name="radiusY">Half-height of the crown.</param>
/// <param name="light">Colour of sunlit leaves.</param>
/// <param name="dark">Colour of leaves in shade.</param>
/// <param name="accent">Colour of the mixed-in patches.</param>
/// <param name="accentShare">How much of the crown the accent covers (0..1).</param>
/// <param name="scene">The scene's light.</param>
/// <param name="clumpScale">Clumps per unit.</param>
/// <param name="noiseOffset">Where in the noise field this tree reads.</param>
internal readonly struct FoliageMaterial(Vec2 center, float radiusX, float radiusY, Rgb light, Rgb dark, Rgb accent, float accentShare,
    SceneLight scene, float clumpScale, Vec2 noiseOffset) : IMaterial
{
    private readonly float _inverseRx = 1f / radiusX;
    private readonly float _inverseRy = 1f / radiusY;

    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float nx = Math.Clamp((x - center.X) * _inverseRx, -1f, 1f);
        float ny = Math.Clamp((y - center.Y) * _inverseRy, -1f, 1f);
        float clump = ValueNoise.Fractal((x * clumpScale) + noiseOffset.X, (y * clumpScale) + noiseOffset.Y);
        float leaf = ValueNoise.Sample((x * clumpScale * 3.1f) + noiseOffset.Y, (y * clumpScale * 3.1f) + noiseOffset.X);

        // Sunward and upper parts are lighter; clumps catch light and the gaps between them fall into shadow.
        float sun = (scene.SunX * nx * 0.55f) - (0.45f * ny);
        float lightness = Math.Clamp(0.42f + (scene.Diffuse * sun) + (0.55f * clump) + (0.18f * leaf), 0f, 1f);
        Rgb c = Rgb.Lerp(dark, light, lightness);
        if (accentShare > 0f)
        {
            float patch = ValueNoise.Sample((x * clumpScale * 0.6f) + noiseOffset.X + 11f, (y * clumpScale * 0.6f) + noiseOffset.Y);
            float mix = Math.Clamp(((patch + 1f) * 0.5f) + accentShare - 0.5f, 0f, 1f);
            c = Rgb.Lerp(c, accent * (0.6f + (0.6f * lightness)), mix * mix);
        }

        return c * scene.Tint * (scene.Ambient + (scene.Diffuse * 0.55f));
    }
}
