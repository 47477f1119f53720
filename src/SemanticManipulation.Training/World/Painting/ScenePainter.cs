using SemanticManipulation.Training.World.Layout;
using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Painting;

/// <summary>Paints a <see cref="ScenePlan"/> back to front: sky, clouds, distant terrain, meadow, path, then buildings
/// and trees from the farthest to the nearest.</summary>
internal static class ScenePainter
{
    public static void Paint(ScenePlan plan, SampleCanvas canvas)
    {
        SceneLight light = plan.Light;
        float horizon = plan.HorizonY;
        SkyPlan sky = plan.Sky;
        // The sky only needs to reach the horizon: the meadow covers everything below it.
        canvas.Fill(new RectShape(-1f, -1f, 2f, horizon + 0.01f),
            new SkyMaterial(sky.Zenith, sky.Middle, sky.Horizon, horizon, sky.Glow, sky.GlowCenter, sky.GlowRadius),
            (byte)SceneLabel.Sky);

        foreach (CloudPlan c in plan.Clouds)
        {
            canvas.Fill(new BlobShape(c.Lobes, c.EdgeNoise, c.TextureScale * 1.6f, c.Noise, c.ClipBottom),
                new CloudMaterial(c.Lit, c.Shadow, c.TopY, c.BaseY, c.CenterX, light.SunX, c.Opacity, c.TextureScale, c.Noise),
                (byte)SceneLabel.Cloud);
        }

        foreach (SkylinePlan s in plan.Skylines)
        {
            canvas.Fill(new SkylineShape(s.BaseY, horizon + 0.02f, s.Swell, s.SwellScale, s.Crowns, s.CrownScale, s.Noise),
                new SkylineMaterial(s.Light * light.Tint, s.Dark * light.Tint, sky.Horizon, s.Haze, s.TextureScale, s.Noise),
                (byte)SceneLabel.Hill);
        }

        var ground = new GroundFrame(horizon);
        Rgb groundLight = light.On(0f, 1f, 0f);
        GroundPlan g = plan.Ground;
        canvas.Fill(new RectShape(-1f, horizon, 2f, 2f),
            new GrassMaterial(ground, g.Lush, g.Dry, sky.Horizon, g.Haze, groundLight, g.Noise), (byte)SceneLabel.Grass);

        if (plan.Path is { } p)
        {
            canvas.Fill(new PathShape(p.FarY, p.FarX, p.NearX, p.FarHalfWidth, p.NearHalfWidth, p.Bend, p.Noise),
                new PathMaterial(ground, p.Light, p.Dark, p.Speckle, sky.Horizon, g.Haze, groundLight, p.Noise), (byte)SceneLabel.Path);
        }

        foreach (object item in DepthOrder(plan))
        {
            if (item is BuildingPlan b)
            {
                new BuildingPainter(canvas, b, light, horizon).Paint();
            }
            else
            {
                TreePainter.Paint(canvas, (TreePlan)item, light);
            }
        }
    }

    /// <summary>Buildings and trees sorted far to near by where they stand; ties keep buildings first, then plan order.</summary>
    private static List<object> DepthOrder(ScenePlan plan)
    {
        var keyed = new List<(float Depth, int Order, object Item)>(plan.Buildings.Count + plan.Trees.Count);
        for (int i = 0; i < plan.Buildings.Count; i++)
        {
            keyed.Add((plan.Buildings[i].BaseY, i, plan.Buildings[i]));
        }

        for (int i = 0; i < plan.Trees.Count; i++)
        {
            keyed.Add((plan.Trees[i].BaseY, plan.Buildings.Count + i, plan.Trees[i]));
        }

        keyed.Sort(static (a, b) => a.Depth != b.Depth ? a.Depth.CompareTo(b.Depth) : a.Order.CompareTo(b.Order));
        return keyed.ConvertAll(static k => k.Item);
    }
}
