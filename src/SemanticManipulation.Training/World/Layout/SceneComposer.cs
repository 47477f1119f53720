using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>Draws a complete <see cref="ScenePlan"/> from a seed: light, sky, landscape, buildings, trees, camera.</summary>
internal static class SceneComposer
{
    public static ScenePlan Compose(long seed, SceneWorldOptions options)
    {
        // The order of draws below defines the world: changing it changes every scene.
        var rng = new SceneRandom(seed);
        var time = (TimeOfDay)rng.Pick([0.58f, 0.2f, 0.22f]);
        var season = (Season)rng.Pick([0.42f, 0.16f, 0.28f, 0.14f]);
        float horizon = rng.Range(0.5f, 0.64f);
        SceneLight light = ComposeLight(rng, time);
        SkyPlan sky = SkyComposer.ComposeSky(rng, time, horizon, light);
        IReadOnlyList<CloudPlan> clouds = SkyComposer.ComposeClouds(rng, time, horizon, options);
        IReadOnlyList<SkylinePlan> skylines = LandscapeComposer.ComposeSkylines(rng, season, horizon);
        GroundPlan ground = LandscapeComposer.ComposeGround(rng, season, time);
        IReadOnlyList<BuildingPlan> buildings = BuildingComposer.Compose(rng, horizon, time, options);
        PathPlan? path = LandscapeComposer.ComposePath(rng, horizon, buildings, options);
        IReadOnlyList<TreePlan> trees = TreeComposer.Compose(rng, season, horizon, buildings, options);
        PhotoFinish finish = ComposeFinish(rng, time, options);
        return new ScenePlan
        {
            Seed = seed,
            Time = time,
            Season = season,
            HorizonY = horizon,
            Light = light,
            Sky = sky,
            Clouds = clouds,
            Skylines = skylines,
            Ground = ground,
            Path = path,
            Buildings = buildings,
            Trees = trees,
            Finish = finish,
        };
    }

    private static SceneLight ComposeLight(SceneRandom rng, TimeOfDay time)
    {
        float side = rng.Sign();
        return time switch
        {
            TimeOfDay.Day => new SceneLight(side * rng.Range(0.25f, 0.9f), rng.Range(0.5f, 0.9f), rng.Range(0.35f, 0.8f),
                rng.Range(0.5f, 0.6f), rng.Range(0.5f, 0.65f), rng.Vary(new Rgb(1f, 0.98f, 0.93f), 0.02f, 0.03f)),
            TimeOfDay.Dusk => new SceneLight(side * rng.Range(0.5f, 1f), rng.Range(0.1f, 0.3f), rng.Range(0f, 0.5f),
                rng.Range(0.42f, 0.52f), rng.Range(0.55f, 0.7f), rng.Vary(new Rgb(1.05f, 0.82f, 0.62f), 0.04f, 0.04f)),
            _ => new SceneLight(side * rng.Range(0f, 0.4f), 0.8f, 0.5f,
                rng.Range(0.78f, 0.88f), rng.Range(0.1f, 0.18f), rng.Vary(new Rgb(0.93f, 0.96f, 1f), 0.02f, 0.03f)),
        };
    }

    private static PhotoFinish ComposeFinish(SceneRandom rng, TimeOfDay time, SceneWorldOptions options)
    {
        float exposure = time switch
        {
            TimeOfDay.Day => rng.Range(0.98f, 1.08f),
            TimeOfDay.Dusk => rng.Range(0.92f, 1.02f),
            _ => rng.Range(0.96f, 1.06f),
        };
        float saturation = time == TimeOfDay.Overcast ? rng.Range(0.8f, 1f) : rng.Range(0.92f, 1.18f);
        return new PhotoFinish(exposure, rng.Range(1f, 1.15f), saturation, rng.Range(0f, 0.6f),
            options.SensorNoise * rng.Range(0.7f, 1.3f), rng.NextSalt());
    }
}
