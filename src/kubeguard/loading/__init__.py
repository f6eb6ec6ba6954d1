"""Reading input: files, directories, stdin, Kustomize and Helm output, into Resources and errors."""
