package dev.windrose.cluster.api;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A change for another node that could not be passed on (503) or that failed there for its own reason (502). */
@RestControllerAdvice(annotations = RestController.class)
class NodeRequestProblems {

    @ExceptionHandler(NodeUnavailableException.class)
    ProblemDetail unavailable(NodeUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Node unavailable");
        return problem;
    }

    @ExceptionHandler(NodeRequestFailedException.class)
    ProblemDetail failedThere(NodeRequestFailedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setTitle("Failed on another node");
        return problem;
    }
}
