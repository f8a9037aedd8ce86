package org.salistream.pipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Flink's REST API that starting, watching and testing a cluster need: the overview,
 * the task managers with their slots, and the jobs.
 */
public final class ClusterRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A task manager as the JobManager sees it. */
    public record TaskManager(String id, String address, int slots, int freeSlots) {}

    /** A job and its state. */
    public record Job(String id, String name, String state) {}

    private final String address;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client of the REST endpoint {@code host:port}. */
    public ClusterRest(String address) {
        this.address = address;
    }

    /** The REST address. */
    public String address() {
        return address;
    }

    /** GET of a path, as JSON. */
    public JsonNode get(String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + address + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Whether the endpoint answers. */
    public boolean reachable() {
        try {
            get("/overview");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The registered task managers. */
    public List<TaskManager> taskManagers() throws IOException {
        List<TaskManager> out = new ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            out.add(new TaskManager(
                    tm.path("id").asText(),
                    tm.path("path").asText(),
                    tm.path("slotsNumber").asInt(),
                    tm.path("freeSlots").asInt()));
        }
        return out;
    }

    /** Every job the cluster knows, with its state. */
    public List<Job> jobs() throws IOException {
        List<Job> out = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            out.add(new Job(
                    j.path("jid").asText(),
                    j.path("name").asText(),
                    j.path("state").asText()));
        }
        return out;
    }

    /** A completed checkpoint: its id, full and incremental (persisted) sizes, and end-to-end duration. */
    public record Checkpoint(long id, long stateBytes, long persistedBytes, long durationMillis, long completedAt) {}

    /** The job's completed checkpoints that the history still lists, oldest first. */
    public List<Checkpoint> completedCheckpoints(String jobId) throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        for (JsonNode c : get("/jobs/" + jobId + "/checkpoints").path("history")) {
            if (c.path("status").asText().equals("COMPLETED")) {
                out.add(new Checkpoint(
                        c.path("id").asLong(),
                        c.path("state_size").asLong(),
                        c.path("checkpointed_size").asLong(),
                        c.path("end_to_end_duration").asLong(),
                        c.path("latest_ack_timestamp").asLong()));
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** The job's state (RUNNING, RESTARTING, ...) and whether every one of its subtasks is running. */
    public boolean fullyRunning(String jobId) throws IOException {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many failures the job recovered from (or failed with): the entries of its exception history. Unlike
     * the {@code numRestarts} metric, which the REST endpoint serves from a cache refreshed every few seconds,
     * this is current.
     */
    public int failures(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/exceptions")
                .path("exceptionHistory")
                .path("entries")
                .size();
    }

    /** How often a job restarted ({@code numRestarts}, from the metric cache: may lag by seconds). */
    public long restarts(String jobId) throws IOException {
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return m.path("value").asLong();
        }
        return 0;
    }
}
