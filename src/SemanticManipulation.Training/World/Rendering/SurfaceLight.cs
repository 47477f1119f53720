namespace SemanticManipulation.Training.World.Rendering;

/// <summary>How brightly a wall is lit: uniformly (a flat face) or varying across it (the round drum under a dome).</summary>
internal readonly struct SurfaceLight
{
    private readonly Rgb _flat;
    private readonly SceneLight _light;
    private readonly float _centerX;
    private readonly float _inverseRadius;

    private SurfaceLight(Rgb flat, SceneLight light, float centerX, float inverseRadius)
    {
        _flat = flat;
        _light = light;
        _centerX = centerX;
        _inverseRadius = inverseRadius;
    }

    public static SurfaceLight Flat(Rgb brightness) => new(brightness, default, 0f, 0f);

    /// <summary>A vertical cylinder of the given centre and radius, facing the viewer.</summary>
    public static SurfaceLight Cylinder(SceneLight light, float centerX, float radius) => new(default, light, centerX, 1f / radius);

    public Rgb At(float x)
    {
        if (_inverseRadius == 0f)
        {
            return _flat;
        }

        float nx = Math.Clamp((x - _centerX) * _inverseRadius, -1f, 1f);
        return _light.On(nx, 0f, MathF.Sqrt(1f - (nx * nx)));
    }
}
