// FuzzRunner's memory check reads the process's allocation counter: tests running beside it would be counted too.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
