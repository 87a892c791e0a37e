#pragma once

#include <cstddef>
#include <functional>

namespace uploader::inject {

// Runs `work(i)` for every i < count on up to two threads (the work is CPU
// bound and each index is independent). The exception of the lowest
// failing index is rethrown, as a sequential loop would have.
void for_each_index(std::size_t count,
                    const std::function<void(std::size_t)> &work);

} // namespace uploader::inject
