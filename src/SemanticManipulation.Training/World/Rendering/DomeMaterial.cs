namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// A dome's surface lit as a solid of revolution: Lambertian shading, a specular highlight for metal (gilt, copper),
/// vertical ribs and streaky patina.
/// </summary>
/// <param name="shape">The dome's silhouette (centre, base, radius, height, profile).</param>
/// <param name="color">Base colour.</param>
/// <param name="metallic">Strength of the specular highlight.</param>
/// <param name="ribs">Number of ribs across the visible half (0 for none).</param>
/// <param name="light">The scene's light.</param>
internal readonly struct DomeMaterial(DomeShape shape, Rgb color, float metallic, int ribs, SceneLight light) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float t = Math.Clamp((shape.BaseY - y) / shape.Height, 0f, 1f);
        float half = MathF.Max(shape.HalfWidthAt(t), 1e-5f);
        float nx = Math.Clamp((x - shape.CenterX) / half, -1f, 1f);

        // The normal's upward part: the height fraction for a half-ellipse; an onion faces down below its widest point.
        float up = shape.Profile == DomeProfile.Hemisphere ? t : Math.Clamp((t - 0.25f) * 1.5f, -0.35f, 0.95f);
        float across = MathF.Sqrt(1f - (up * up));
        float n0 = nx * across;
        float nz = MathF.Sqrt(MathF.Max(0f, 1f - (nx * nx))) * across;
        float diffuse = light.Intensity(n0, up, nz);

        // Blinn-Phong highlight with the half vector between the sun and the viewer (0, 0, 1), raised to the 32nd power.
        float hx = light.SunX, hu = light.SunUp, hz = light.SunToward + 1f;
        float hl = MathF.Sqrt((hx * hx) + (hu * hu) + (hz * hz));
        float s = MathF.Max(0f, ((n0 * hx) + (up * hu) + (nz * hz)) / hl);
        s *= s;
        s *= s;
        s *= s;
        s *= s;
        s *= s;

        float rib = 1f;
        if (ribs > 0)
        {
            float k = ((ArcSin(nx) * (1f / MathF.PI)) + 0.5f) * ribs;
            float f = k - MathF.Floor(k);
            rib = f < 0.12f ? 0.8f : 1f;
        }

        float streaks = 1f + (0.08f * ValueNoise.Sample(x * 90f, y * 8f));
        Rgb c = color * (diffuse * rib * streaks);
        return (c * light.Tint) + (light.Tint * (metallic * s));
    }

    // Abramowitz & Stegun 4.4.45 (error below 7e-5): deterministic, unlike the platform's asin.
    private static float ArcSin(float v)
    {
        float a = MathF.Abs(v);
        float r = (MathF.PI / 2f) - (MathF.Sqrt(1f - a) * (1.5707288f + (a * (-0.2121144f + (a * (0.0742610f - (0.0187293f * a)))))));
        return v < 0f ? -r : r;
    }
}
