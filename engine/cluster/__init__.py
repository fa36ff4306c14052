"""Past one PC: the classify job on a Ray cluster, with the results a single PC gives.

Ray is an optional extra (`pip install "ocelote[cluster]"`): nothing here is imported unless a
run asks for a cluster, so the desktop app neither needs nor bundles it. The job itself is not
re-implemented: each worker calls `ClassifyJob.classify` (engine.pipeline.job), and the driver
records what comes back in the one results database, batch by batch, as the plain job does.
"""
