namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A gravel or dirt path in perspective: speckled stones or ruts, hazy toward the horizon.</summary>
internal readonly struct PathMaterial(GroundFrame ground, Rgb light, Rgb dark, float speckle, Rgb haze, float hazeAmount, Rgb brightness, Vec2 noiseOffset) : IMaterial
{
    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 g = ground.ToGround(x, y);
        float detail = ground.Detail(y);
        float broad = ValueNoise.Sample((g.X * 1.2f) + noiseOffset.X, (g.Y * 0.8f) + noiseOffset.Y);
        float grit = ValueNoise.Sample((g.X * 30f) + noiseOffset.Y, (g.Y * 30f) + noiseOffset.X);
        Rgb c = Rgb.Lerp(dark, light, Math.Clamp(0.55f + (0.6f * broad) + (speckle * detail * grit), 0f, 1f)) * brightness;
        return Rgb.Lerp(c, haze, hazeAmount * ground.Haze(y));
    }
}
