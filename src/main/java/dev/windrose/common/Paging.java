package dev.windrose.common;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;

/** Page parameters and the page envelope shared by the list endpoints of every feature. */
public final class Paging {

    public static final int MAX_PAGE_SIZE = 500;

    private Paging() {
    }

    /** One page of a listing: {@code items}, the page number from 0, its size, and the total. */
    public record PageView<T>(List<T> items, int page, int size, long totalItems) {

        public static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
            return new PageView<>(page.getContent().stream().map(view).toList(), page.getNumber(), page.getSize(),
                    page.getTotalElements());
        }
    }

    public static PageRequest request(int page, int size) {
        if (page < 0) {
            throw new InvalidInputException("page", "page starts at 0.");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_PAGE_SIZE + ".");
        }
        // The database takes the offset (page × size) as an int: beyond that no page can hold anything.
        if ((long) page * size > Integer.MAX_VALUE - size) {
            throw new InvalidInputException("page", "page × size must stay below " + Integer.MAX_VALUE
                    + "; there are not that many items.");
        }
        return PageRequest.of(page, size);
    }
}
