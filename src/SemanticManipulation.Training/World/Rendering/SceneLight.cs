namespace SemanticManipulation.Training.World.Rendering;

/// <summary>The scene's illumination: a coloured sun plus sky light, giving a brightness per surface normal.</summary>
/// <remarks>Normals use x to the right, "up" upward and z toward the viewer.</remarks>
internal readonly struct SceneLight
{
    public SceneLight(float sunX, float sunUp, float sunToward, float ambient, float diffuse, Rgb tint)
    {
        float length = MathF.Sqrt((sunX * sunX) + (sunUp * sunUp) + (sunToward * sunToward));
        SunX = sunX / length;
        SunUp = sunUp / length;
        SunToward = sunToward / length;
        Ambient = ambient;
        Diffuse = diffuse;
        Tint = tint;
    }

    /// <summary>Sun direction (unit vector toward the sun): its rightward component.</summary>
    public float SunX { get; }

    /// <summary>Its upward component.</summary>
    public float SunUp { get; }

    /// <summary>Its component toward the viewer (positive: the sun is behind the camera and lights front faces).</summary>
    public float SunToward { get; }

    public float Ambient { get; }

    public float Diffuse { get; }

    public Rgb Tint { get; }

    /// <summary>Lambertian brightness (tinted) of a surface with the given unit normal.</summary>
    public Rgb On(float nx, float nUp, float nz) => Tint * Intensity(nx, nUp, nz);

    public float Intensity(float nx, float nUp, float nz) =>
        Ambient + (Diffuse * MathF.Max(0f, (nx * SunX) + (nUp * SunUp) + (nz * SunToward)));
}
