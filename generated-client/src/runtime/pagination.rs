//! Walking a paginated list operation to its end, as a stream of pages or of items, generic over the
//! operation: a generated request builder implements [`Paginated`]; [`PaginateExt`] does the walking.

use std::future::Future;

use futures_util::stream::{self, Stream};

use super::response::ApiResponse;

/// A list request that can be asked for any page.
pub trait Paginated: Clone + Send + Sized {
    /// The answer body of one page.
    type Page: Send;
    /// One item of a page.
    type Item: Send;
    /// The documented headers of an answer.
    type Headers: Send;
    /// The operation's error.
    type Error: Send;

    /// The page number set on this request, if any (the service starts at 1).
    fn page_number(&self) -> Option<i64>;
    /// The page size set on this request, if any.
    fn page_size(&self) -> Option<i64>;
    /// The same request for another page.
    fn with_page(self, page: i64) -> Self;
    /// Sends the request.
    fn send_page(self) -> impl Future<Output = Result<ApiResponse<Self::Page, Self::Headers>, Self::Error>> + Send;
    /// The items of a page, and the total count the service reported.
    fn into_items(page: Self::Page) -> (Vec<Self::Item>, Option<i64>);
}

/// Where a walk is.
enum Walk<R> {
    Next { request: R, page: i64, seen: i64 },
    Done,
}

/// A page of a walk: its items, the total the service reported, and the answer it came in (its body
/// taken).
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<T, H> {
    /// The page number (from 1).
    pub number: i64,
    /// The page's items.
    pub items: Vec<T>,
    /// The total count, when the service sent it.
    pub total_count: Option<i64>,
    /// The answer's status and headers (its body is `()`; the items are above).
    pub response: ApiResponse<(), H>,
}

/// Streams over the pages and items of a [`Paginated`] request.
pub trait PaginateExt: Paginated {
    /// Every page from the request's page (1 when unset) to the last: the walk ends at an empty page, a
    /// page shorter than the page size, or when the items seen reach the total count. An error ends it
    /// after being yielded.
    fn pages(self) -> impl Stream<Item = Result<Page<Self::Item, Self::Headers>, Self::Error>> + Send {
        let first = self.page_number().unwrap_or(1).max(1);
        stream::unfold(Walk::Next { request: self, page: first, seen: 0 }, |walk| async move {
            let Walk::Next { request, page, seen } = walk else { return None };
            let size = request.page_size();
            let this = request.clone().with_page(page);
            match this.send_page().await {
                Err(error) => Some((Err(error), Walk::Done)),
                Ok(answer) => {
                    let (answer, body) = answer.split_body();
                    let (items, total) = Self::into_items(body);
                    let count = items.len() as i64;
                    let seen = seen + count;
                    let last =
                        count == 0 || size.is_some_and(|size| count < size) || total.is_some_and(|total| seen >= total);
                    let next = if last { Walk::Done } else { Walk::Next { request, page: page + 1, seen } };
                    Some((Ok(Page { number: page, items, total_count: total, response: answer }), next))
                }
            }
        })
    }

    /// Every item of every page, in order.
    fn items(self) -> impl Stream<Item = Result<Self::Item, Self::Error>> + Send {
        use futures_util::StreamExt as _;
        self.pages().flat_map(|page| {
            let items: Vec<Result<Self::Item, Self::Error>> = match page {
                Ok(page) => page.items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }
}

impl<T: Paginated> PaginateExt for T {}
